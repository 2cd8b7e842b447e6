/**
 * How disclosures name themselves, as data: the words of a title, the labels of
 * the header line that names the department above a table, and what an
 * organisation's name ends with. Read by parsers/meta.ts.
 */

/** Characters of a department name: Han, brackets, the middle dot. */
export const NAME_CHARS = String.raw`[\p{Script=Han}（）()·]`;

/**
 * A department or unit name ends with the word for an organisation, optionally
 * followed by （本级）/（汇总）/(机关). `上海市普陀区`, `本部门`, `万元` do not.
 */
export const ORG_NAME_END = new RegExp(
  String.raw`(?:局|委员会|委|厅|办公室|办|中心|部|院|会|所|站|队|馆|学校|大学|学院|学|处|社|团|署|府|政府|街道办事处|集团|公司|台|宫|园|场|库|室|组|司|段|科|支队|总队|大队|监狱|检察院|法院|联合会|协会|研究所|研究院|医院|机关)` +
    String.raw`(?:[（(](?:本级|汇总|机关|本部|部门|单位|合并)[)）])?$`,
  'u',
);

/** Words that make a candidate not a name (a sentence, a heading, a table title). */
export const NOT_A_NAME = /^(?:本|关于|第|目录|纳入|根据|按照|其中|附件|附表|各|全)|预算|决算|情况|说明|公开|合计|总计|概况|纳入|包括|范围|单位：/u;

/** Region-level words between a name and the year or the kind: 上海市普陀区2025年区级部门预算. */
export const LEVEL_WORDS = '(?:区级|市级|省级|县级|市本级|本级)';

/**
 * Labels of the line (or table cell) that names the department of a table or a
 * form: `部门名称：深圳市统计局（本级）`, `单位名称:重庆市商务委员会`, `部门：国家信访局`,
 * `单位：无锡市交通运输局（本级） 单位：万元`, `预算主管部门：…`, `编制单位：…`.
 */
export const HEADER_LABELS = ['预算主管部门', '主管部门', '编制部门', '编制单位', '预算单位', '部门名称', '单位名称', '部门', '单位'];

/** A line that holds only the year of the tables: `（2026年度）` under a Beijing 13表 title. */
export const YEAR_LINE = /^[（(]?(?<y>20\d\d)\s*[（(]?年度?[)）]?$/u;
