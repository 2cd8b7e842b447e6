/**
 * What every table, view and column of the store means, in English and
 * Chinese: the source of the Datasette metadata file and of the data
 * package's field descriptions. Keep it in step with migrations/*.sql.
 */
export interface TableDoc {
  en: string;
  zh: string;
  columns: Record<string, [en: string, zh: string]>;
  facets?: string[];
}

const DOC_ID: [string, string] = ['the disclosure (documents.id)', '公开文件编号'];

export const SCHEMA_DOCS: Record<string, TableDoc> = {
  documents: {
    en: 'One row per disclosure (one or several files read as one).',
    zh: '每份公开文件一行（一个或多个文件合为一份）',
    columns: {
      id: ['document id', '文件编号'],
      sha256: ['sha256 of the file, or of the sorted file hashes', '文件哈希'],
      path: ['first file as given', '文件路径'],
      format: ['pdf, docx, html, txt, xlsx or xls', '格式'],
      pages: ['pages (NULL for unpaged text)', '页数'],
      file_count: ['number of files', '文件数'],
      department: ['department or unit as printed', '部门（单位）名称'],
      year: ['fiscal year reported on', '年度'],
      kind: ['final (决算) or budget (预算)', '类型：决算/预算'],
      scope: ['department (部门) or unit (单位)', '范围：部门/单位'],
      fact_count: ['facts read', '事实数'],
      ingested_at: ['when it was stored (UTC)', '入库时间'],
      department_id: ['stable department identity (departments.id)', '部门编号'],
      version: ['version of this department × year × kind × scope', '版本'],
      superseded_by: ['the newer version, if re-published', '被哪个新版本取代'],
    },
    facets: ['year', 'kind', 'scope', 'format'],
  },
  departments: {
    en: 'Departments with a stable identity across years and renamings.',
    zh: '部门（跨年度、更名后保持同一身份）',
    columns: { id: ['department id', '部门编号'], key: ['normalised name matched on', '归一化名称'], name: ['name as last printed', '名称'], region: ['administrative area', '地区'], level: ['province, city, district or county', '级次'] },
    facets: ['level', 'region'],
  },
  department_aliases: { en: 'Every name a department was printed under.', zh: '部门曾用名', columns: { alias: ['name as printed', '名称'], department_id: ['departments.id', '部门编号'], source: ['how the alias was learnt', '来源'] } },
  facts: {
    en: 'Facts in long form: one row per document × canonical key (see facts.md). Money in yuan.',
    zh: '事实（长表）：每份文件每个指标一行，金额单位：元',
    columns: {
      document_id: DOC_ID,
      key: ['canonical fact key, e.g. three_public.total', '指标键'],
      label: ['Chinese label of the key', '指标名称'],
      value: ['yuan (≤ 2 decimals), percent as printed, or a count', '数值（元/百分比/个数）'],
      value_fen: ['exact money in fen (0.01 yuan)', '精确金额（分）'],
      unit: ['yuan, percent or count', '单位'],
      source: ['table or text', '来源：表格/正文'],
      file: ['file it was read from', '文件'],
      page: ['page (1-based)', '页码'],
      quote: ['the words or table row it was read from', '原文'],
      printed: ['the number as printed', '原文数字'],
      printed_unit: ['the unit as printed (元/万元)', '原文单位'],
      evidence: ['all evidence entries (JSON)', '全部依据（JSON）'],
    },
    facets: ['key', 'unit', 'source'],
  },
  line_items: {
    en: 'Rows of the 一般公共预算 function-classification table (or narrative 类/款/项 paths). Money in yuan.',
    zh: '一般公共预算支出功能分类科目（类/款/项），金额单位：元',
    columns: {
      document_id: DOC_ID,
      seq: ['row order', '序号'],
      code: ['function code: 201 / 20106 / 2010601 (NULL when only names are given)', '科目编码'],
      level: ['1 类, 2 款, 3 项', '级次'],
      name: ['科目名称', '科目名称'],
      path: ['类 / 款 / 项 names', '科目路径'],
      class_name: ['the 类 name', '类名称'],
      total: ['total (yuan)', '合计（元）'],
      basic: ['基本支出 (yuan)', '基本支出（元）'],
      project: ['项目支出 (yuan)', '项目支出（元）'],
      total_fen: ['total, exact (fen)', '合计（分）'],
      basic_fen: ['基本支出, exact (fen)', '基本支出（分）'],
      project_fen: ['项目支出, exact (fen)', '项目支出（分）'],
      page: ['page', '页码'],
      quote: ['the row as printed', '原文'],
    },
    facets: ['level', 'class_name'],
  },
  sections: {
    en: 'Text of each document by section (heading to heading), with a normalised copy for full-text search (sections_fts).',
    zh: '正文分节（含全文检索副本）',
    columns: { document_id: DOC_ID, seq: ['order', '序号'], key: ['canonical section key (three_public, gpb.detail …)', '章节键'], title: ['heading', '标题'], level: ['outline level', '层级'], page: ['page', '页码'], text: ['text', '正文'], search_text: ['normalised copy for search', '检索副本'] },
    facets: ['key'],
  },
  tables: { en: 'Tables as read, keyed where recognised.', zh: '表格（已识别的附表格键）', columns: { document_id: DOC_ID, key: ['canonical table key (summary, gpb_expenditure …)', '表格键'], title: ['title', '表名'], page: ['first page', '起始页'], pages: ['pages (JSON)', '页码'], unit: ['unit from the 单位 line', '单位'], n_rows: ['rows', '行数'], n_cols: ['columns', '列数'] }, facets: ['key', 'unit'] },
  cells: { en: 'Cells of the tables.', zh: '单元格', columns: { table_id: ['tables.id', '表格编号'], row: ['row', '行'], col: ['column', '列'], text: ['text as printed', '内容'], page: ['page', '页码'] } },
  findings: {
    en: 'What does not add up, or could not be read: rule id, severity, message and evidence.',
    zh: '核查发现：规则、严重程度、说明与依据',
    columns: { document_id: DOC_ID, rule: ['rule id, e.g. sum.income', '规则'], severity: ['error, warning or info (info = rounding)', '严重程度'], message: ['what was found', '说明'], page: ['first page of the evidence', '页码'], pages: ['all pages (JSON)', '全部页码'], quote: ['first quote', '原文'], evidence: ['evidence entries (JSON)', '依据（JSON）'] },
    facets: ['rule', 'severity'],
  },
  classifications: { en: 'Function (支出功能分类) and economic (经济分类) codes with their names per year: bundled 类 and codes harvested from tables.', zh: '支出功能分类与经济分类科目（按年度）', columns: { system: ['function or economic', '分类体系'], code: ['code', '编码'], name: ['name', '名称'], year: ['year (bundled: first year of the name)', '年度'], source: ['bundled or document', '来源'] }, facets: ['system', 'source'] },
  classification_renames: { en: 'Codes renamed across years (210 医疗卫生与计划生育支出 → 卫生健康支出).', zh: '科目更名', columns: { code: ['code', '编码'], old_name: ['old name', '原名称'], new_name: ['new name', '新名称'], from_year: ['first year of the new name', '启用年度'] } },
  department_years: {
    en: 'VIEW: one row per department × year × kind, the latest version (部门 before 单位).',
    zh: '视图：部门 × 年度 × 类型（最新版本）',
    columns: { department_id: ['departments.id', '部门编号'], department: ['department', '部门'], region: ['region', '地区'], level: ['level', '级次'], year: ['year', '年度'], kind: ['final or budget', '类型'], scope: ['department or unit', '范围'], document_id: DOC_ID, version: ['version', '版本'] },
    facets: ['year', 'kind', 'level'],
  },
  facts_wide: { en: 'VIEW: the main facts side by side per department × year × kind (yuan).', zh: '视图：主要指标宽表（元）', columns: { total: ['收入支出总计', '收入支出总计'], income_total: ['本年收入合计', '本年收入合计'], expenditure_total: ['本年支出合计', '本年支出合计'], gpb_expenditure: ['一般公共预算财政拨款支出', '一般公共预算财政拨款支出'], three_public: ['“三公”经费', '“三公”经费'], operating_costs: ['机关运行经费', '机关运行经费'], procurement: ['政府采购', '政府采购'] }, facets: ['year', 'kind'] },
  three_public: { en: 'VIEW: “三公” spending across departments and years (yuan; counts).', zh: '视图：“三公”经费（元）', columns: { total: ['三公 total', '合计'], overseas: ['因公出国（境）费', '因公出国（境）费'], vehicle: ['公务用车购置及运行费', '公务用车购置及运行费'], reception: ['公务接待费', '公务接待费'] }, facets: ['year', 'kind'] },
  line_items_by_code: { en: 'VIEW: line items by code across years, with the code’s current name.', zh: '视图：按科目编码跨年度比较', columns: { code: ['function code', '科目编码'], name_current: ['name in the latest year known', '现行名称'] }, facets: ['year', 'class_name'] },
  findings_summary: { en: 'VIEW: findings per document: counts by severity and the error rules.', zh: '视图：每份文件的核查发现汇总', columns: { errors: ['error findings', '错误数'], warnings: ['warnings', '警告数'], info: ['info (rounding)', '提示数'], error_rules: ['rules with errors', '出错规则'] } },
};

export const CANNED_QUERIES: Record<string, { title: string; sql: string }> = {
  three_public_by_department: {
    title: '“三公”经费 by department and year / 各部门历年“三公”经费',
    sql: 'SELECT department, year, kind, total, overseas, vehicle, reception FROM three_public ORDER BY department, year',
  },
  largest_class: {
    title: 'The largest 类 of 一般公共预算 spending per disclosure / 一般公共预算支出最大的类',
    sql: `SELECT d.department, d.year, d.kind, li.code, li.name, li.total FROM line_items li JOIN department_years d ON d.document_id = li.document_id
WHERE li.level = 1 AND li.total = (SELECT max(total) FROM line_items x WHERE x.document_id = li.document_id AND x.level = 1) ORDER BY d.department, d.year`,
  },
  does_not_add_up: {
    title: 'Disclosures whose numbers do not add up / 数字对不上的公开文件',
    sql: "SELECT department, year, kind, errors, warnings, error_rules FROM findings_summary WHERE errors > 0 ORDER BY errors DESC",
  },
  same_department_over_years: {
    title: 'One department over the years / 同一部门跨年度比较',
    sql: 'SELECT department, year, kind, total, gpb_expenditure, three_public, procurement FROM facts_wide WHERE department LIKE :department ORDER BY year',
  },
};
