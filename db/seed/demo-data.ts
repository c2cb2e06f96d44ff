import type { CourseLevel, CourseSubject, EnrolmentPolicy, InstitutionKind, RegionLevel, Role } from '../schema/index.js';

// Fujian province: division codes from GB/T 2260. Guangze and Minqing counties are
// among the province's rural counties that follow synchronised classrooms.
export const demoRegions: { code: string; parentCode: string | null; level: RegionLevel; nameZh: string; nameEn: string; isRural: boolean }[] = [
  { code: '350000', parentCode: null, level: 'province', nameZh: '福建省', nameEn: 'Fujian Province', isRural: false },
  { code: '350100', parentCode: '350000', level: 'city', nameZh: '福州市', nameEn: 'Fuzhou', isRural: false },
  { code: '350700', parentCode: '350000', level: 'city', nameZh: '南平市', nameEn: 'Nanping', isRural: false },
  { code: '350102', parentCode: '350100', level: 'county', nameZh: '鼓楼区', nameEn: 'Gulou District', isRural: false },
  { code: '350121', parentCode: '350100', level: 'county', nameZh: '闽侯县', nameEn: 'Minhou County', isRural: false },
  { code: '350124', parentCode: '350100', level: 'county', nameZh: '闽清县', nameEn: 'Minqing County', isRural: true },
  { code: '350723', parentCode: '350700', level: 'county', nameZh: '光泽县', nameEn: 'Guangze County', isRural: true },
];

export const demoInstitutions: { slug: string; kind: InstitutionKind; nameZh: string; nameEn: string; regionCode: string; acceptsStudentSignup: boolean }[] = [
  { slug: 'fj-edu-dept', kind: 'department', nameZh: '福建省教育厅', nameEn: 'Fujian Provincial Department of Education', regionCode: '350000', acceptsStudentSignup: false },
  { slug: 'fzu', kind: 'university', nameZh: '福州大学', nameEn: 'Fuzhou University', regionCode: '350121', acceptsStudentSignup: true },
  { slug: 'fjnu', kind: 'university', nameZh: '福建师范大学', nameEn: 'Fujian Normal University', regionCode: '350121', acceptsStudentSignup: true },
  { slug: 'mju', kind: 'university', nameZh: '闽江学院', nameEn: 'Minjiang University', regionCode: '350121', acceptsStudentSignup: true },
  { slug: 'gz-no1-middle', kind: 'school', nameZh: '光泽县第一中学', nameEn: 'Guangze No. 1 Middle School', regionCode: '350723', acceptsStudentSignup: true },
  { slug: 'mq-bandong-primary', kind: 'school', nameZh: '闽清县坂东中心小学', nameEn: 'Minqing Bandong Central Primary School', regionCode: '350124', acceptsStudentSignup: true },
];

/** Printed by `npm start`; never created when NODE_ENV=production unless SEED_DEMO_USERS=1. */
export const demoPassword = 'demo-pass-2026';

/**
 * One demo user per role. The registrar also works at fzu (`alsoAt`): the demo student's
 * home institution, whose rule sends their credit request to a registrar's review, so the
 * recognition journey can be walked through with the demo logins alone.
 */
export const demoUsers: { email: string; displayName: string; role: Role; institutionSlug: string; alsoAt?: string[] }[] = [
  { email: 'student@demo.edu.cn', displayName: '林晓雨', role: 'student', institutionSlug: 'fzu' },
  { email: 'teacher@demo.edu.cn', displayName: '陈建国', role: 'teacher', institutionSlug: 'fzu' },
  { email: 'assistant@demo.edu.cn', displayName: '黄丽华', role: 'assistant', institutionSlug: 'gz-no1-middle' },
  { email: 'registrar@demo.edu.cn', displayName: '王志明', role: 'registrar', institutionSlug: 'fjnu', alsoAt: ['fzu'] },
  { email: 'admin@demo.edu.cn', displayName: '张海燕', role: 'admin', institutionSlug: 'fj-edu-dept' },
  // Guangze No. 1 Middle School's own administrator: its 专递课堂 classrooms, staff and roster.
  { email: 'inst-admin@demo.edu.cn', displayName: '郑晓东', role: 'institution_admin', institutionSlug: 'gz-no1-middle' },
];

export type DemoLesson = { titleZh: string; titleEn: string; bodyZh?: string; quiz?: DemoQuiz };
export type DemoQuiz = {
  attemptsAllowed: number;
  items: { kind: 'single' | 'multiple' | 'numeric' | 'text'; promptZh: string; promptEn: string; options?: string[]; answer: string[] | number; feedbackZh: string }[];
};
export type DemoCourse = {
  slug: string;
  institutionSlug: string;
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  descriptionZh: string;
  prerequisitesZh?: string;
  subject: CourseSubject;
  level: CourseLevel;
  language?: 'zh' | 'en' | 'bilingual';
  credits: string;
  classHours: number;
  enrolmentPolicy?: EnrolmentPolicy;
  partners?: string[];
  /** The demo teacher (who can log in) or the display name of a catalog-only teacher profile. */
  teacherEmail?: string;
  teacherName?: string;
  modules: { titleZh: string; titleEn: string; lessons: DemoLesson[] }[];
};

const twoLectures = (topicZh: string, topicEn: string): DemoCourse['modules'] => [
  {
    titleZh: `第一单元：${topicZh}导论`,
    titleEn: `Unit 1: Introduction to ${topicEn}`,
    lessons: [
      { titleZh: '第一讲：课程介绍', titleEn: 'Lecture 1: About this course', bodyZh: `本讲介绍${topicZh}的学习目标、课程安排与考核方式。` },
      { titleZh: '第二讲：基本概念', titleEn: 'Lecture 2: Basic ideas', bodyZh: `本讲讲解${topicZh}中最重要的几个基本概念。` },
    ],
  },
];

/** Published demo catalog; the first course is taught by the demo teacher (lectures go there). */
/**
 * The demo registrar's and administrator's authenticator keys (TOTP, base32), enrolled by the
 * seed so the demo needs no phone: add a key to any authenticator app, or print the current
 * codes with `npm run demo:codes`. Tests compute codes from them with otplib. Demo only: a real
 * person enrols their own at /account/second-factor.
 */
export const demoTotpSecrets: Record<string, string> = {
  'registrar@demo.edu.cn': 'JBSWY3DPEHPK3PXPMFRGGZDFMZTWQ2LK',
  'inst-admin@demo.edu.cn': 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U',
  'admin@demo.edu.cn': 'KRSXG5CTMVRXEZLUNBXW4ZLSMFWGSY3F',
};

export const demoCourses: DemoCourse[] = [
  {
    slug: 'fzu-linear-algebra-1',
    institutionSlug: 'fzu',
    titleZh: '线性代数(上)',
    titleEn: 'Linear Algebra I',
    summaryZh: '向量、矩阵与线性方程组：理工科的共同语言。',
    summaryEn: 'Vectors, matrices and linear equations: the common language of science and engineering.',
    descriptionZh: '本课程面向理工科一年级学生，讲授向量空间、矩阵运算、行列式与线性方程组的解法，并配有几何直观与数值实例。每讲含视频、讲义与随堂测验。',
    prerequisitesZh: '高中数学',
    subject: 'mathematics',
    level: 'provincial',
    credits: '3.0',
    classHours: 48,
    teacherEmail: 'teacher@demo.edu.cn',
    modules: [
      {
        titleZh: '第一单元：向量与矩阵',
        titleEn: 'Unit 1: Vectors and matrices',
        lessons: [
          { titleZh: '第一讲：向量与线性组合', titleEn: 'Lecture 1: Vectors and linear combinations', bodyZh: '向量既是有方向的箭头，也是一列数。两个向量的**线性组合**是 cv + dw 这样的式子。\n\n- 向量加法\n- 数乘\n- 线性组合' },
          {
            titleZh: '第二讲：矩阵与线性方程组',
            titleEn: 'Lecture 2: Matrices and linear equations',
            bodyZh: '把线性方程组写成 Ax = b，矩阵 A 的列向量的线性组合给出 b。',
            quiz: {
              attemptsAllowed: 2,
              items: [
                { kind: 'single', promptZh: '矩阵 A 是 2×3 矩阵，x 必须是几维向量？', promptEn: 'A is 2×3. How many entries must x have?', options: ['2', '3', '6'], answer: ['3'], feedbackZh: 'Ax 要求 x 的维数等于 A 的列数。' },
                { kind: 'multiple', promptZh: '下列哪些是线性组合？', promptEn: 'Which are linear combinations?', options: ['2v + 3w', 'v·w', '-v', 'v²'], answer: ['2v + 3w', '-v'], feedbackZh: '线性组合只用数乘和加法。' },
                { kind: 'numeric', promptZh: '行列式 |2 1; 1 3| 等于多少？', promptEn: 'What is det [2 1; 1 3]?', answer: 5, feedbackZh: '2×3 − 1×1 = 5。' },
                { kind: 'text', promptZh: '方程个数少于未知数个数的线性方程组称为什么方程组？', promptEn: 'A system with fewer equations than unknowns is called?', answer: ['欠定方程组', '欠定', 'underdetermined'], feedbackZh: '欠定方程组通常有无穷多解或无解。' },
              ],
            },
          },
        ],
      },
    ],
  },
  {
    slug: 'fzu-advanced-math-1',
    institutionSlug: 'fzu',
    titleZh: '高等数学A(上)',
    titleEn: 'Advanced Mathematics A I',
    summaryZh: '极限、导数与积分。',
    summaryEn: 'Limits, derivatives and integrals.',
    descriptionZh: '微积分入门：函数与极限、导数与微分、不定积分与定积分及其应用。',
    subject: 'mathematics',
    level: 'national',
    credits: '5.0',
    classHours: 80,
    teacherName: '吴德华',
    modules: twoLectures('微积分', 'calculus'),
  },
  {
    slug: 'fzu-python-programming',
    institutionSlug: 'fzu',
    titleZh: 'Python程序设计',
    titleEn: 'Programming in Python',
    summaryZh: '从零开始学编程。',
    summaryEn: 'Learn to program from scratch.',
    descriptionZh: '变量、分支、循环、函数与数据结构；用 Python 处理表格数据。适合没有编程经验的同学。',
    subject: 'computing',
    level: 'gold',
    language: 'bilingual',
    credits: '2.5',
    classHours: 40,
    teacherName: '郑晓东',
    modules: twoLectures('程序设计', 'programming'),
  },
  {
    slug: 'fjnu-educational-psychology',
    institutionSlug: 'fjnu',
    titleZh: '教育心理学',
    titleEn: 'Educational Psychology',
    summaryZh: '学生如何学习，教师如何教。',
    summaryEn: 'How students learn and how teachers teach.',
    descriptionZh: '学习理论、动机、个体差异与课堂管理。本课程仅对福建师范大学学生开放。',
    subject: 'education',
    level: 'national',
    credits: '2.0',
    classHours: 32,
    enrolmentPolicy: 'institution',
    teacherName: '林淑芬',
    modules: twoLectures('教育心理学', 'educational psychology'),
  },
  {
    slug: 'fjnu-chinese-classics',
    institutionSlug: 'fjnu',
    titleZh: '中国古典文学鉴赏',
    titleEn: 'Appreciating Classical Chinese Literature',
    summaryZh: '从诗经到红楼梦。',
    summaryEn: 'From the Book of Songs to Dream of the Red Chamber.',
    descriptionZh: '精读先秦至明清的代表作品，体会古典文学的语言与情感。',
    subject: 'chinese',
    level: 'provincial',
    credits: '2.0',
    classHours: 32,
    teacherName: '许文澜',
    modules: twoLectures('古典文学', 'classical literature'),
  },
  {
    slug: 'fjnu-virtual-chemistry-lab',
    institutionSlug: 'fjnu',
    titleZh: '化学实验安全虚拟仿真实验',
    titleEn: 'Chemistry Lab Safety (Virtual Simulation)',
    summaryZh: '在虚拟实验室里练习危险操作。',
    summaryEn: 'Practise hazardous procedures in a virtual lab.',
    descriptionZh: '通过虚拟仿真练习危险化学品的取用、废液处理与事故应急。',
    subject: 'chemistry',
    level: 'virtual-lab',
    credits: '1.0',
    classHours: 16,
    teacherName: '蔡明辉',
    modules: twoLectures('实验安全', 'lab safety'),
  },
  {
    slug: 'mju-minnan-culture',
    institutionSlug: 'mju',
    titleZh: '闽台文化概论',
    titleEn: 'Introduction to Fujian and Taiwan Culture',
    summaryZh: '闽台两地的语言、民俗与信仰。',
    summaryEn: 'Language, customs and beliefs on both sides of the strait.',
    descriptionZh: '闽南语、妈祖信俗、土楼与茶文化。跨校选修：闽江学院与福州大学学生可选。',
    subject: 'history',
    level: 'gold',
    credits: '2.0',
    classHours: 32,
    enrolmentPolicy: 'partners',
    partners: ['fzu'],
    teacherName: '黄秋月',
    modules: twoLectures('闽台文化', 'regional culture'),
  },
  {
    slug: 'mju-college-english',
    institutionSlug: 'mju',
    titleZh: '大学英语听说',
    titleEn: 'College English: Listening and Speaking',
    summaryZh: '听懂课堂，开口表达。',
    summaryEn: 'Follow lectures and speak up.',
    descriptionZh: '围绕校园与学术场景训练听力和口语。',
    subject: 'english',
    level: 'ordinary',
    language: 'en',
    credits: '2.0',
    classHours: 32,
    teacherName: 'Emily Zhang',
    modules: twoLectures('英语听说', 'English listening and speaking'),
  },
  {
    slug: 'gz-no1-physics-grade8',
    institutionSlug: 'gz-no1-middle',
    titleZh: '初二物理：力与运动',
    titleEn: 'Grade 8 Physics: Force and Motion',
    summaryZh: '光泽一中物理组的同步课堂录播。',
    summaryEn: 'Recorded synchronised-classroom lessons from Guangze No. 1 Middle School.',
    descriptionZh: '牛顿运动定律、摩擦力与简单机械，配实验视频。',
    subject: 'physics',
    level: 'ordinary',
    credits: '0',
    classHours: 20,
    teacherName: '李志强',
    modules: twoLectures('力与运动', 'force and motion'),
  },
];
