import type { InstitutionKind, RegionLevel, Role } from '../schema/index.js';

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

export const demoUsers: { email: string; displayName: string; role: Role; institutionSlug: string }[] = [
  { email: 'student@demo.edu.cn', displayName: '林晓雨', role: 'student', institutionSlug: 'fzu' },
  { email: 'teacher@demo.edu.cn', displayName: '陈建国', role: 'teacher', institutionSlug: 'fzu' },
  { email: 'assistant@demo.edu.cn', displayName: '黄丽华', role: 'assistant', institutionSlug: 'gz-no1-middle' },
  { email: 'registrar@demo.edu.cn', displayName: '王志明', role: 'registrar', institutionSlug: 'fjnu' },
  { email: 'admin@demo.edu.cn', displayName: '张海燕', role: 'admin', institutionSlug: 'fj-edu-dept' },
];

/** A course of Fuzhou University taught by the demo teacher, with two lessons to upload lectures to. */
export const demoCourses = [
  {
    slug: 'fzu-linear-algebra-1',
    institutionSlug: 'fzu',
    titleZh: '线性代数(上)',
    titleEn: 'Linear Algebra I',
    teacherEmail: 'teacher@demo.edu.cn',
    lessons: [
      { titleZh: '第一讲：向量与线性组合', titleEn: 'Lecture 1: Vectors and linear combinations' },
      { titleZh: '第二讲：矩阵与线性方程组', titleEn: 'Lecture 2: Matrices and linear equations' },
    ],
  },
];
