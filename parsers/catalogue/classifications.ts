/**
 * The bundled list: 支出功能分类 类 (function classes) and 部门预算支出经济分类
 * 类 (economic classes) with the names they carried over the years, and the
 * renamings between them. Codes below the 类 are harvested from the tables
 * of ingested documents.
 */
export interface ClassEntry {
  system: 'function' | 'economic';
  code: string;
  /** name → first year it was used (the name before stays valid until then) */
  names: Array<{ name: string; from: number }>;
}

export const CLASSIFICATIONS: ClassEntry[] = [
  { system: 'function', code: '201', names: [{ name: '一般公共服务支出', from: 2007 }] },
  { system: 'function', code: '202', names: [{ name: '外交支出', from: 2007 }] },
  { system: 'function', code: '203', names: [{ name: '国防支出', from: 2007 }] },
  { system: 'function', code: '204', names: [{ name: '公共安全支出', from: 2007 }] },
  { system: 'function', code: '205', names: [{ name: '教育支出', from: 2007 }] },
  { system: 'function', code: '206', names: [{ name: '科学技术支出', from: 2007 }] },
  { system: 'function', code: '207', names: [{ name: '文化体育与传媒支出', from: 2007 }, { name: '文化旅游体育与传媒支出', from: 2019 }] },
  { system: 'function', code: '208', names: [{ name: '社会保障和就业支出', from: 2007 }] },
  { system: 'function', code: '210', names: [{ name: '医疗卫生支出', from: 2007 }, { name: '医疗卫生与计划生育支出', from: 2014 }, { name: '卫生健康支出', from: 2019 }] },
  { system: 'function', code: '211', names: [{ name: '节能环保支出', from: 2011 }] },
  { system: 'function', code: '212', names: [{ name: '城乡社区支出', from: 2007 }] },
  { system: 'function', code: '213', names: [{ name: '农林水支出', from: 2007 }] },
  { system: 'function', code: '214', names: [{ name: '交通运输支出', from: 2007 }] },
  { system: 'function', code: '215', names: [{ name: '资源勘探信息等支出', from: 2013 }, { name: '资源勘探工业信息等支出', from: 2019 }] },
  { system: 'function', code: '216', names: [{ name: '商业服务业等支出', from: 2007 }] },
  { system: 'function', code: '217', names: [{ name: '金融支出', from: 2007 }] },
  { system: 'function', code: '219', names: [{ name: '援助其他地区支出', from: 2007 }] },
  { system: 'function', code: '220', names: [{ name: '国土海洋气象等支出', from: 2011 }, { name: '自然资源海洋气象等支出', from: 2019 }] },
  { system: 'function', code: '221', names: [{ name: '住房保障支出', from: 2007 }] },
  { system: 'function', code: '222', names: [{ name: '粮油物资储备支出', from: 2007 }] },
  { system: 'function', code: '223', names: [{ name: '国有资本经营预算支出', from: 2015 }] },
  { system: 'function', code: '224', names: [{ name: '灾害防治及应急管理支出', from: 2019 }] },
  { system: 'function', code: '227', names: [{ name: '预备费', from: 2007 }] },
  { system: 'function', code: '229', names: [{ name: '其他支出', from: 2007 }] },
  { system: 'function', code: '230', names: [{ name: '转移性支出', from: 2007 }] },
  { system: 'function', code: '231', names: [{ name: '债务还本支出', from: 2016 }] },
  { system: 'function', code: '232', names: [{ name: '债务付息支出', from: 2016 }] },
  { system: 'function', code: '233', names: [{ name: '债务发行费用支出', from: 2016 }] },
  { system: 'function', code: '234', names: [{ name: '抗疫特别国债安排的支出', from: 2020 }] },
  { system: 'economic', code: '301', names: [{ name: '工资福利支出', from: 2007 }] },
  { system: 'economic', code: '302', names: [{ name: '商品和服务支出', from: 2007 }] },
  { system: 'economic', code: '303', names: [{ name: '对个人和家庭的补助', from: 2007 }] },
  { system: 'economic', code: '307', names: [{ name: '债务利息及费用支出', from: 2018 }] },
  { system: 'economic', code: '309', names: [{ name: '资本性支出（基本建设）', from: 2018 }] },
  { system: 'economic', code: '310', names: [{ name: '资本性支出', from: 2007 }] },
  { system: 'economic', code: '311', names: [{ name: '对企业补助（基本建设）', from: 2018 }] },
  { system: 'economic', code: '312', names: [{ name: '对企业补助', from: 2018 }] },
  { system: 'economic', code: '399', names: [{ name: '其他支出', from: 2007 }] },
];
