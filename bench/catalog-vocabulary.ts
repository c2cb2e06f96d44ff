import type { CourseSubject } from '../db/schema/index.js';

// Word lists for a generated provincial catalog: course topics and lecture keywords per
// subject, as Fujian's universities and schools name them. Deterministic (seeded) picks
// from these make titles such as 线性代数(下) or 数据结构与算法实验 recur across
// institutions, as they do in a real catalog.

export const subjectVocabulary: Record<CourseSubject, { topics: string[]; keywords: string[] }> = {
  mathematics: {
    topics: ['线性代数', '高等数学', '概率论与数理统计', '离散数学', '数学分析', '复变函数', '常微分方程', '数值分析', '抽象代数', '运筹学', '线性代数与空间解析几何'],
    keywords: ['矩阵', '行列式', '向量空间', '特征值', '极限', '导数', '积分', '级数', '随机变量', '分布', '假设检验', '图论', '群与环', '线性方程组', '最优化'],
  },
  physics: {
    topics: ['大学物理', '力学', '电磁学', '热学', '光学', '量子力学', '理论力学', '固体物理', '原子物理', '物理实验'],
    keywords: ['牛顿定律', '动量守恒', '电场', '磁场', '麦克斯韦方程', '熵', '干涉', '衍射', '薛定谔方程', '能带', '简谐振动', '相对论'],
  },
  chemistry: {
    topics: ['无机化学', '有机化学', '分析化学', '物理化学', '结构化学', '化工原理', '高分子化学', '仪器分析'],
    keywords: ['化学键', '反应速率', '化学平衡', '酸碱滴定', '氧化还原', '有机合成', '光谱', '晶体结构', '热力学', '催化剂'],
  },
  biology: {
    topics: ['普通生物学', '细胞生物学', '遗传学', '分子生物学', '生物化学', '生态学', '微生物学', '植物学'],
    keywords: ['细胞膜', '基因表达', '蛋白质', '酶', '光合作用', '种群', '生态系统', 'DNA复制', '进化', '微生物培养'],
  },
  computing: {
    topics: ['Python程序设计', '数据结构', '算法设计与分析', '操作系统', '计算机网络', '数据库系统', '人工智能导论', '机器学习', '软件工程', '编译原理', 'C语言程序设计'],
    keywords: ['链表', '二叉树', '排序', '动态规划', '进程', '线程', 'TCP协议', 'SQL查询', '神经网络', '梯度下降', '面向对象', '递归'],
  },
  chinese: {
    topics: ['中国古典文学', '现代汉语', '古代汉语', '中国现当代文学', '写作', '唐诗宋词鉴赏', '语文教学论', '文学概论'],
    keywords: ['诗经', '楚辞', '唐诗', '宋词', '红楼梦', '鲁迅', '修辞', '语法', '文言文', '散文', '小说', '意象'],
  },
  english: {
    topics: ['大学英语', '英语听说', '英语写作', '英美文学', '翻译理论与实践', '学术英语', '商务英语', '英语语音'],
    keywords: ['听力', '口语', '阅读理解', '段落写作', '翻译技巧', '语音语调', '词汇', '语篇', '莎士比亚', '学术论文'],
  },
  history: {
    topics: ['中国古代史', '中国近现代史纲要', '世界史', '福建地方史', '海上丝绸之路史', '史学概论'],
    keywords: ['秦汉', '唐宋', '明清', '鸦片战争', '辛亥革命', '海上丝绸之路', '泉州港', '史料', '考古', '文明'],
  },
  geography: {
    topics: ['自然地理学', '人文地理学', '地理信息系统', '遥感概论', '区域地理', '地图学'],
    keywords: ['气候', '地貌', '水文', '人口', '城市化', '遥感影像', '空间分析', '武夷山', '海岸带', '土壤'],
  },
  politics: {
    topics: ['思想道德与法治', '马克思主义基本原理', '形势与政策', '中国特色社会主义理论', '法学概论'],
    keywords: ['唯物辩证法', '法治', '道德', '宪法', '民法典', '社会主义', '改革开放', '国家治理', '价值观'],
  },
  economics: {
    topics: ['微观经济学', '宏观经济学', '计量经济学', '会计学原理', '财务管理', '市场营销', '国际贸易'],
    keywords: ['供给', '需求', '边际效用', '国内生产总值', '通货膨胀', '回归分析', '资产负债表', '成本', '汇率', '茶叶贸易'],
  },
  education: {
    topics: ['教育心理学', '教育学原理', '课程与教学论', '现代教育技术', '班级管理', '乡村教育研究'],
    keywords: ['学习动机', '认知发展', '课堂教学', '教学设计', '评价', '信息技术', '留守儿童', '教师专业发展', '同步课堂'],
  },
  engineering: {
    topics: ['工程制图', '电路原理', '模拟电子技术', '数字电子技术', '机械设计', '材料力学', '自动控制原理', '土木工程概论'],
    keywords: ['三视图', '基尔霍夫定律', '放大电路', '逻辑门', '齿轮', '应力', '传递函数', '混凝土', '有限元', '传感器'],
  },
  medicine: {
    topics: ['人体解剖学', '生理学', '病理学', '药理学', '诊断学', '预防医学', '中医基础理论', '护理学基础'],
    keywords: ['骨骼', '神经系统', '循环系统', '炎症', '药物代谢', '问诊', '流行病学', '阴阳五行', '针灸', '护理程序'],
  },
  arts: {
    topics: ['美术鉴赏', '音乐欣赏', '书法', '设计基础', '闽南文化与艺术', '摄影基础', '舞蹈基础'],
    keywords: ['素描', '色彩', '构图', '南音', '高甲戏', '楷书', '行书', '版式设计', '光圈', '节奏'],
  },
  agriculture: {
    topics: ['茶学概论', '作物栽培学', '植物保护', '园艺学', '农业经济管理', '食品科学导论', '水产养殖学'],
    keywords: ['茶树', '乌龙茶', '水稻', '病虫害', '果树', '土壤肥料', '农村合作社', '食品安全', '海带养殖', '大棚'],
  },
};

export const titleSuffixes = ['', '(上)', '(下)', '基础', '导论', '实验', '专题', '进阶', 'A', 'B', '案例分析', '与应用'];

export const cities: { code: string; nameZh: string; nameEn: string; short: string }[] = [
  { code: '350100', nameZh: '福州市', nameEn: 'Fuzhou', short: '福州' },
  { code: '350200', nameZh: '厦门市', nameEn: 'Xiamen', short: '厦门' },
  { code: '350300', nameZh: '莆田市', nameEn: 'Putian', short: '莆田' },
  { code: '350400', nameZh: '三明市', nameEn: 'Sanming', short: '三明' },
  { code: '350500', nameZh: '泉州市', nameEn: 'Quanzhou', short: '泉州' },
  { code: '350600', nameZh: '漳州市', nameEn: 'Zhangzhou', short: '漳州' },
  { code: '350700', nameZh: '南平市', nameEn: 'Nanping', short: '南平' },
  { code: '350800', nameZh: '龙岩市', nameEn: 'Longyan', short: '龙岩' },
  { code: '350900', nameZh: '宁德市', nameEn: 'Ningde', short: '宁德' },
];

export const institutionKinds: { zh: string; en: string; kind: 'university' | 'school' }[] = [
  { zh: '大学', en: 'University', kind: 'university' },
  { zh: '师范学院', en: 'Normal College', kind: 'university' },
  { zh: '理工学院', en: 'Institute of Technology', kind: 'university' },
  { zh: '医学院', en: 'Medical College', kind: 'university' },
  { zh: '职业技术学院', en: 'Vocational and Technical College', kind: 'university' },
  { zh: '第一中学', en: 'No. 1 Middle School', kind: 'school' },
  { zh: '实验中学', en: 'Experimental Middle School', kind: 'school' },
];

export const surnames = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶杜苏魏程吕丁沈任姚卢'];
export const givenNames = ['建国', '淑芬', '文澜', '志强', '秀英', '海燕', '明辉', '丽华', '国栋', '晓东', '雅琴', '伟', '敏', '静', '磊', '婷', '俊杰', '思远', '嘉怡', '子涵'];

export const sentencePatterns = [
  '本课程系统讲授{a}与{b}的基本概念和方法。',
  '通过{a}的实例，学生掌握{b}的分析思路。',
  '课程结合福建本地案例，介绍{a}在{b}中的应用。',
  '每讲配有视频、讲义与随堂测验，重点讨论{a}。',
  '面向乡村学校学生，课程从{a}入手，逐步引入{b}。',
  '学习本课程后，学生能够运用{a}解决与{b}相关的问题。',
];
