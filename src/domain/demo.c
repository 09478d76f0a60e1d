/*
 * demo.c — the deterministic demo data set (see demo.h).
 *
 * Each enterprise comes from one PRNG stream and each talent from its own
 * stream (seed, index), so a talent's draws do not depend on how many draws
 * the previous one made.  Uniqueness is by construction or by a hash set:
 *   - ID numbers: the 17-digit prefix (region, birth date, sequence) is kept
 *     in an open-addressing set; a taken one moves the sequence by 2 (same
 *     gender), then the birth date by a day;
 *   - credit codes: the 9-character organization code is a bijection of the
 *     enterprise index (an affine map modulo 31^7 or 10^7 under a fixed
 *     2-character prefix), so two enterprises never share one;
 *   - enterprise names: a set of 64-bit hashes; after a few collisions a town
 *     name is inserted ("晋江市安海鸿星鞋业有限公司"), and as a last resort the
 *     index is appended.
 */
#include "domain/demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/idcard.h"
#include "core/uscc.h"
#include "domain/registry.h"
#include "store/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define BATCH_COMMIT 50000L  /* talents per transaction */
#define ARENA_RESET 4096L    /* rows per arena */
#define PROGRESS_EVERY 5000L

/* ---------------------------------------------------------------- PRNG */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seeds r for one stream of seed: streams are independent sequences. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03ULL);
	x = splitmix64(&x) ^ stream;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* A double in [0, 1). */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* An integer in [0, n); 0 when n <= 0. */
static long rng_below(struct rng *r, long n)
{
	if (n <= 0)
		return 0;
	long v = (long)(rng_unit(r) * (double)n);
	return v < n ? v : n - 1;
}

/* An integer in [lo, hi]. */
static long rng_range(struct rng *r, long lo, long hi)
{
	return hi <= lo ? lo : lo + rng_below(r, hi - lo + 1);
}

/* 1 with probability p. */
static int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Index into w[0..n) drawn with probability w[i] / sum(w). */
static size_t pick_w(struct rng *r, const int *w, size_t n)
{
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	long x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define PICK(r, arr) ((arr)[rng_below((r), (long)NELEM(arr))])

/* ---------------------------------------------------------- reference data */

struct wstr {
	const char *s;
	int w;
};

/* Common surnames, weights roughly per 10,000 people in Fujian (陈 林 黄 up;
 * 许 蔡 施 洪 庄 are typical of Jinjiang). */
static const struct wstr surnames[] = {
	{"王", 520}, {"李", 480}, {"张", 450}, {"刘", 330}, {"陈", 1100}, {"杨", 230},
	{"黄", 620}, {"赵", 150}, {"吴", 380}, {"周", 160}, {"徐", 120}, {"孙", 100},
	{"马", 80}, {"朱", 90}, {"胡", 90}, {"郭", 130}, {"何", 90}, {"林", 950},
	{"高", 80}, {"罗", 80}, {"郑", 280}, {"梁", 60}, {"谢", 100}, {"宋", 45},
	{"唐", 45}, {"许", 300}, {"韩", 35}, {"冯", 35}, {"邓", 40}, {"曹", 35},
	{"彭", 40}, {"曾", 100}, {"肖", 40}, {"田", 25}, {"董", 30}, {"袁", 30},
	{"潘", 50}, {"于", 25}, {"蒋", 30}, {"蔡", 300}, {"余", 50}, {"杜", 30},
	{"叶", 110}, {"程", 30}, {"苏", 140}, {"魏", 50}, {"吕", 30}, {"丁", 40},
	{"任", 20}, {"沈", 30}, {"姚", 30}, {"卢", 50}, {"姜", 20}, {"崔", 15},
	{"钟", 30}, {"谭", 20}, {"陆", 20}, {"汪", 20}, {"范", 20}, {"金", 20},
	{"石", 20}, {"廖", 35}, {"贾", 12}, {"夏", 15}, {"韦", 8}, {"付", 12},
	{"方", 45}, {"白", 10}, {"邹", 20}, {"孟", 10}, {"熊", 15}, {"秦", 10},
	{"邱", 45}, {"江", 45}, {"尹", 10}, {"薛", 15}, {"闫", 8}, {"段", 10},
	{"雷", 12}, {"侯", 10}, {"龙", 8}, {"史", 10}, {"陶", 10}, {"黎", 10},
	{"贺", 10}, {"顾", 10}, {"毛", 10}, {"郝", 6}, {"龚", 10}, {"邵", 10},
	{"万", 8}, {"钱", 10}, {"严", 10}, {"覃", 5}, {"武", 8}, {"戴", 25},
	{"莫", 8}, {"孔", 8}, {"向", 5}, {"汤", 10}, {"洪", 180}, {"庄", 170},
	{"施", 220}, {"柯", 60},
};

/* The pinyin of each surname above, for demo e-mail addresses ("chenxy.27@163.com"). */
static const char *const surname_py[][2] = {
	{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"},
	{"杨", "yang"}, {"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"},
	{"徐", "xu"}, {"孙", "sun"}, {"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"},
	{"郭", "guo"}, {"何", "he"}, {"林", "lin"}, {"高", "gao"}, {"罗", "luo"},
	{"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"}, {"唐", "tang"},
	{"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"},
	{"彭", "peng"}, {"曾", "zeng"}, {"肖", "xiao"}, {"田", "tian"}, {"董", "dong"},
	{"袁", "yuan"}, {"潘", "pan"}, {"于", "yu"}, {"蒋", "jiang"}, {"蔡", "cai"},
	{"余", "yu"}, {"杜", "du"}, {"叶", "ye"}, {"程", "cheng"}, {"苏", "su"},
	{"魏", "wei"}, {"吕", "lv"}, {"丁", "ding"}, {"任", "ren"}, {"沈", "shen"},
	{"姚", "yao"}, {"卢", "lu"}, {"姜", "jiang"}, {"崔", "cui"}, {"钟", "zhong"},
	{"谭", "tan"}, {"陆", "lu"}, {"汪", "wang"}, {"范", "fan"}, {"金", "jin"},
	{"石", "shi"}, {"廖", "liao"}, {"贾", "jia"}, {"夏", "xia"}, {"韦", "wei"},
	{"付", "fu"}, {"方", "fang"}, {"白", "bai"}, {"邹", "zou"}, {"孟", "meng"},
	{"熊", "xiong"}, {"秦", "qin"}, {"邱", "qiu"}, {"江", "jiang"}, {"尹", "yin"},
	{"薛", "xue"}, {"闫", "yan"}, {"段", "duan"}, {"雷", "lei"}, {"侯", "hou"},
	{"龙", "long"}, {"史", "shi"}, {"陶", "tao"}, {"黎", "li"}, {"贺", "he"},
	{"顾", "gu"}, {"毛", "mao"}, {"郝", "hao"}, {"龚", "gong"}, {"邵", "shao"},
	{"万", "wan"}, {"钱", "qian"}, {"严", "yan"}, {"覃", "qin"}, {"武", "wu"},
	{"戴", "dai"}, {"莫", "mo"}, {"孔", "kong"}, {"向", "xiang"}, {"汤", "tang"},
	{"洪", "hong"}, {"庄", "zhuang"}, {"施", "shi"}, {"柯", "ke"},
};
_Static_assert(sizeof surname_py / sizeof surname_py[0] == sizeof surnames / sizeof surnames[0],
	       "one pinyin per surname");

static const char *const given_m[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "辉", "刚", "鹏", "飞",
	"鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "阳", "建", "志",
	"国", "峰", "毅", "坤", "彬", "鸿", "振", "荣", "锋", "坚", "永", "成", "德", "良",
	"亮", "东", "铭", "晖", "诚", "泽", "翔", "睿", "博", "豪", "杭", "武", "炜",
};
static const char *const given_f[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "颖",
	"琳", "萍", "红", "洁", "倩", "晶", "莉", "欣", "蕾", "怡", "梅", "秀", "英", "月",
	"琴", "蓉", "薇", "菲", "悦", "妍", "琪", "璐", "瑶", "丹", "萱", "琦", "楠", "艺",
	"婉", "露", "岚",
};
static const char *const given_n[] = {
	"子", "思", "雨", "嘉", "家", "晓", "小", "海", "春", "秋", "天", "新", "安", "一",
	"亦", "诗", "梓", "若", "金", "玉", "宏", "佳", "文", "华", "清", "晨", "世", "少",
	"其", "锦", "昊", "宸", "逸", "彦", "钰", "益", "雅", "舒", "书", "伊",
};

struct town {
	const char *code, *name, *shortname;
	int w;
};

static const struct town towns[] = {
	{"350582001", "青阳街道", "青阳", 6}, {"350582002", "梅岭街道", "梅岭", 5},
	{"350582003", "西园街道", "西园", 5}, {"350582004", "罗山街道", "罗山", 6},
	{"350582005", "新塘街道", "新塘", 4}, {"350582006", "灵源街道", "灵源", 4},
	{"350582100", "安海镇", "安海", 10}, {"350582101", "磁灶镇", "磁灶", 7},
	{"350582102", "陈埭镇", "陈埭", 12}, {"350582103", "东石镇", "东石", 5},
	{"350582104", "深沪镇", "深沪", 5}, {"350582105", "金井镇", "金井", 4},
	{"350582106", "池店镇", "池店", 8}, {"350582107", "内坑镇", "内坑", 5},
	{"350582108", "龙湖镇", "龙湖", 6}, {"350582109", "永和镇", "永和", 4},
	{"350582110", "英林镇", "英林", 5}, {"350582111", "紫帽镇", "紫帽", 2},
	{"350582112", "西滨镇", "西滨", 2},
};
#define TOWN_CIZAO 7
#define TOWN_CHENDAI 8
#define TOWN_SHENHU 10

enum ind { I_TEX, I_FOOD, I_BMAT, I_PAPER, I_IC, I_NMAT, I_PV, I_EQUIP, I_HEALTH, I_ECOM,
	   I_LOGI, I_DIGI, I_OTHER, I_COUNT };

static const char *const ind_code[I_COUNT] = {
	"TEX", "FOOD", "BMAT", "PAPER", "IC", "NMAT", "PV", "EQUIP", "HEALTH", "ECOM", "LOGI",
	"DIGI", "OTHER",
};
static const int ind_w[I_COUNT] = {35, 12, 9, 5, 6, 4, 4, 9, 3, 6, 3, 2, 2};

struct strs {
	const char *const *v;
	size_t n;
};
#define STRS(a) {(a), NELEM(a)}

static const char *const w_tex[] = {"鞋业", "服装", "纺织", "服饰", "体育用品", "针织",
				    "织造", "鞋材", "制衣", "拉链"};
static const char *const w_food[] = {"食品", "饮料", "糖果", "饼业", "食品工贸"};
static const char *const w_bmat[] = {"陶瓷", "建材", "石材", "瓷业", "新型建材"};
static const char *const w_paper[] = {"纸业", "纸制品", "包装", "卫生用品"};
static const char *const w_ic[] = {"集成电路", "半导体", "微电子", "芯片科技"};
static const char *const w_nmat[] = {"新材料", "石墨烯科技", "高分子材料", "新材料科技"};
static const char *const w_pv[] = {"光电", "光伏科技", "电子", "光电科技"};
static const char *const w_equip[] = {"机械", "智能装备", "机电", "精密机械", "自动化设备"};
static const char *const w_health[] = {"医疗器械", "生物科技", "医药", "健康科技"};
static const char *const w_ecom[] = {"电子商务", "网络科技", "供应链", "电商"};
static const char *const w_logi[] = {"物流", "货运", "供应链管理", "仓储"};
static const char *const w_digi[] = {"信息技术", "数字科技", "软件", "数据科技"};
static const char *const w_other[] = {"贸易", "实业", "商贸", "进出口"};
static const struct strs ind_words[I_COUNT] = {
	STRS(w_tex), STRS(w_food), STRS(w_bmat), STRS(w_paper), STRS(w_ic), STRS(w_nmat),
	STRS(w_pv), STRS(w_equip), STRS(w_health), STRS(w_ecom), STRS(w_logi), STRS(w_digi),
	STRS(w_other),
};

/* Invented trade names (字号). */
static const char *const trade_names[] = {
	"鸿星", "华宇", "嘉禾", "盛泰", "永鑫", "恒达", "金峰", "泉兴", "闽发", "鑫源", "宏远",
	"天成", "联盛", "锦华", "凯达", "新宇", "裕丰", "瑞祥", "荣盛", "华峰", "鼎立", "昌隆",
	"协盛", "万利", "兴业", "富华", "明辉", "益丰", "祥和", "振兴", "和兴", "东升", "中宏",
	"恒通", "信达", "宝龙", "腾达", "新华", "丰泽", "海峰", "美华", "利达", "汇丰", "建兴",
	"安达", "国泰", "长盛", "佳美", "泰和", "华隆", "正昌", "永盛", "晋华", "福顺", "金源",
	"顺发", "盛达", "源泰", "润丰", "德隆", "鹏程", "远航", "星辉", "冠达", "汇通", "百益",
	"达利", "友谊", "诚信", "华联", "博远", "锦程", "思创", "恒信", "天宇", "金辉", "银河",
	"南星", "海天", "龙腾", "凤凰", "祥鹏", "群英", "兴达", "宏发", "华兴", "合盛", "宏盛",
	"鑫华", "德盛", "永安", "嘉诚", "汇鑫", "恒隆", "亿达", "通达", "金盛", "华安", "泰昌",
	"新峰", "金帝", "晋益", "晋盛", "晋源", "晋和", "海滨", "东方", "南方", "环球", "雅韵",
	"卓越", "卓尔", "星光", "展鹏", "飞扬", "奥运", "远东", "中泰", "创新", "科达", "嘉信",
};

static const char *const roads[] = {
	"世纪大道", "泉安中路", "晋江大道", "长兴路", "迎宾路", "青华路", "安平路", "体育路",
	"梅岭路", "和平路", "工业路", "兴业路", "创业路", "泉安北路", "阳光路", "崇德路",
	"中兴路", "兴华路", "曙光路", "凤池路", "金山路", "东华街", "聚福路", "五里工业区",
};

/* Region codes for ID numbers: Jinjiang, elsewhere in Quanzhou, other provinces. */
static const char *const reg_quanzhou[] = {"350502", "350503", "350521", "350524", "350581",
					   "350583", "350505", "350526"};
static const char *const reg_other[] = {
	"110105", "440305", "330106", "510107", "420106", "350102", "350203", "350322",
	"360102", "430104", "410105", "320106", "500103", "340104", "450103", "610113",
};

enum deg { D_NONE, D_ASSOC, D_BACH, D_MASTER, D_PHD };
static const char *const deg_code[] = {"none", "associate", "bachelor", "master", "phd"};
static const int deg_w[] = {12, 25, 45, 15, 3};

struct univ {
	const char *name;
	int dfc;        /* 双一流 */
	int w[3];       /* weights as school of a bachelor, master, phd */
};

static const struct univ univs[] = {
	{"厦门大学", 1, {6, 10, 14}},       {"福州大学", 1, {8, 10, 10}},
	{"华侨大学", 0, {14, 12, 5}},       {"福建师范大学", 0, {8, 8, 3}},
	{"泉州师范学院", 0, {12, 0, 0}},    {"集美大学", 0, {8, 4, 0}},
	{"福建农林大学", 0, {6, 5, 3}},     {"闽南师范大学", 0, {5, 0, 0}},
	{"厦门理工学院", 0, {6, 1, 0}},     {"福建工程学院", 0, {6, 1, 0}},
	{"闽江学院", 0, {4, 0, 0}},         {"仰恩大学", 0, {3, 0, 0}},
	{"浙江大学", 1, {2, 4, 7}},         {"清华大学", 1, {1, 2, 5}},
	{"北京大学", 1, {1, 2, 4}},         {"复旦大学", 1, {1, 2, 4}},
	{"同济大学", 1, {1, 2, 3}},         {"中山大学", 1, {1, 3, 4}},
	{"华南理工大学", 1, {2, 3, 4}},     {"武汉大学", 1, {2, 3, 4}},
	{"西安交通大学", 1, {1, 2, 3}},     {"哈尔滨工业大学", 1, {1, 2, 4}},
	{"南京大学", 1, {1, 2, 3}},         {"四川大学", 1, {1, 2, 3}},
	{"东南大学", 1, {1, 2, 3}},         {"中国科学院大学", 1, {0, 2, 8}},
	{"东华大学", 1, {1, 2, 2}},         {"江南大学", 1, {1, 2, 2}},
	{"南昌大学", 1, {2, 1, 1}},         {"华中科技大学", 1, {1, 2, 3}},
};

static const struct wstr colleges[] = {
	{"黎明职业大学", 15},       {"泉州轻工职业学院", 10},   {"泉州纺织服装职业学院", 8},
	{"泉州经贸职业技术学院", 6}, {"泉州华光职业学院", 4},   {"泉州海洋职业学院", 3},
	{"福建船政交通职业学院", 4}, {"福州职业技术学院", 4},   {"厦门城市职业学院", 3},
	{"漳州职业技术学院", 3},     {"福建信息职业技术学院", 4}, {"泉州职业技术大学", 5},
};

static const char *const m_tex[] = {"纺织工程", "服装设计与工程", "轻化工程", "高分子材料与工程"};
static const char *const m_food[] = {"食品科学与工程", "食品质量与安全", "生物工程"};
static const char *const m_bmat[] = {"无机非金属材料工程", "材料科学与工程", "土木工程"};
static const char *const m_paper[] = {"轻化工程", "包装工程", "化学工程与工艺"};
static const char *const m_ic[] = {"微电子科学与工程", "集成电路设计与集成系统", "电子科学与技术"};
static const char *const m_nmat[] = {"材料科学与工程", "高分子材料与工程", "化学"};
static const char *const m_pv[] = {"光电信息科学与工程", "新能源材料与器件", "电子信息工程"};
static const char *const m_equip[] = {"机械设计制造及其自动化", "自动化", "机械电子工程"};
static const char *const m_health[] = {"生物医学工程", "药学", "临床医学"};
static const char *const m_ecom[] = {"电子商务", "市场营销", "计算机科学与技术"};
static const char *const m_logi[] = {"物流管理", "交通运输", "供应链管理"};
static const char *const m_digi[] = {"计算机科学与技术", "软件工程", "数据科学与大数据技术"};
static const char *const m_other[] = {"国际经济与贸易", "工商管理"};
static const struct strs ind_majors[I_COUNT] = {
	STRS(m_tex), STRS(m_food), STRS(m_bmat), STRS(m_paper), STRS(m_ic), STRS(m_nmat),
	STRS(m_pv), STRS(m_equip), STRS(m_health), STRS(m_ecom), STRS(m_logi), STRS(m_digi),
	STRS(m_other),
};
static const char *const m_general[] = {
	"工商管理", "会计学", "财务管理", "市场营销", "人力资源管理", "法学", "英语",
	"国际经济与贸易", "计算机科学与技术", "电子信息工程", "化学", "应用统计学",
};
static const char *const m_assoc[] = {
	"服装与服饰设计", "鞋类设计与工艺", "机电一体化技术", "数控技术", "电子商务",
	"现代物流管理", "大数据与会计", "食品检验检测技术", "工业机器人技术", "市场营销",
	"计算机应用技术", "建筑工程技术", "纺织品设计", "应用电子技术",
};

static const char *const p_general[] = {
	"工程师", "技术员", "研发经理", "生产主管", "质量工程师", "销售经理", "财务主管",
	"人事专员", "采购经理", "项目经理", "行政主管", "设备工程师", "工艺工程师", "市场专员",
	"总经理助理", "车间主任",
};
static const char *const p_tex[] = {"版师", "鞋样设计师", "服装设计师", "面料工程师", "跟单员"};
static const char *const p_food[] = {"食品研发工程师", "品控主管", "生产技术员"};
static const char *const p_bmat[] = {"釉料工程师", "窑炉技术员", "产品设计师"};
static const char *const p_paper[] = {"造纸工程师", "包装设计师", "工艺技术员"};
static const char *const p_ic[] = {"芯片设计工程师", "工艺整合工程师", "测试工程师",
				   "设备工程师"};
static const char *const p_nmat[] = {"材料研发工程师", "实验室主管", "工艺工程师"};
static const char *const p_pv[] = {"光电工程师", "电子工程师", "测试工程师"};
static const char *const p_equip[] = {"机械设计师", "电气工程师", "自动化工程师"};
static const char *const p_health[] = {"注册专员", "研发工程师", "质量体系工程师"};
static const char *const p_ecom[] = {"电商运营", "直播运营", "美工设计师", "客服主管"};
static const char *const p_logi[] = {"物流主管", "调度员", "仓储经理"};
static const char *const p_digi[] = {"软件工程师", "数据分析师", "产品经理"};
static const char *const p_other[] = {"外贸业务员", "业务经理"};
static const struct strs ind_positions[I_COUNT] = {
	STRS(p_tex), STRS(p_food), STRS(p_bmat), STRS(p_paper), STRS(p_ic), STRS(p_nmat),
	STRS(p_pv), STRS(p_equip), STRS(p_health), STRS(p_ecom), STRS(p_logi), STRS(p_digi),
	STRS(p_other),
};

static const char *const sizes[] = {"micro", "small", "medium", "large"};
static const int size_w[] = {35, 45, 15, 5};
static const int size_staff_w[] = {1, 3, 10, 30}; /* how often a talent works at one */

static const char *const mobile_prefix[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
	"152", "153", "155", "156", "157", "158", "159", "180", "181", "182", "183", "184",
	"185", "186", "187", "188", "189", "191", "193", "195", "196", "197", "198", "199",
};

/* ------------------------------------------------------------ hash sets */

/* An open-addressing set of non-zero 64-bit keys; capacity is a power of two. */
struct u64set {
	uint64_t *v;
	size_t mask;
};

static int set_init(struct u64set *s, size_t expect)
{
	size_t cap = 1024;
	while (cap < expect * 2)
		cap *= 2;
	s->v = calloc(cap, sizeof(*s->v));
	s->mask = cap - 1;
	return s->v ? 0 : -1;
}

static uint64_t mix64(uint64_t k)
{
	return splitmix64(&k);
}

/* Adds key (non-zero). Returns 1 if added, 0 if it was already there. */
static int set_add(struct u64set *s, uint64_t key)
{
	size_t i = (size_t)mix64(key) & s->mask;
	while (s->v[i]) {
		if (s->v[i] == key)
			return 0;
		i = (i + 1) & s->mask;
	}
	s->v[i] = key;
	return 1;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

/* ------------------------------------------------------------ generator */

struct ent_info {
	int64_t id;
	unsigned char town, industry;
};

struct gen {
	struct store *st;
	const struct demo_opts *o;
	struct arena *a;
	int oom;
	long n_ent;
	struct ent_info *ent;
	uint64_t *ent_cum; /* cumulative staffing weights */
	struct u64set ids, names;
	long ref;          /* day number of Jan 1 of the current year */
};

/* Day number of y-m-d (a valid date). */
static long ymd(int y, int m, int d)
{
	return date_to_days((struct civil_date){y, m, d});
}

static int year_of(long days)
{
	return date_from_days(days).y;
}

/* days moved by whole years (Feb 29 → Feb 28). */
static long add_years(long days, int years)
{
	return date_to_days(date_add_years(date_from_days(days), years));
}

/* The arena copy of "YYYY-MM-DD" for a day number. */
static const char *dstr(struct gen *g, long days)
{
	char buf[11];
	date_format(date_from_days(days), buf);
	char *s = arena_strndup(g->a, buf, 10);
	if (!s)
		g->oom = 1;
	return s;
}

/* printf into the batch arena, noting failure. */
__attribute__((format(printf, 2, 3))) static const char *gprintf(struct gen *g,
								  const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(g->a, fmt, ap);
	va_end(ap);
	if (!s)
		g->oom = 1;
	return s;
}

/* A string of v[0..n) drawn by weight. */
static const char *pick_ws(struct rng *r, const struct wstr *v, size_t n)
{
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i].w;
	long x = rng_below(r, total);
	for (size_t i = 0; i < n; i++) {
		if (x < v[i].w)
			return v[i].s;
		x -= v[i].w;
	}
	return v[n - 1].s;
}

static const char *surname(struct rng *r)
{
	return pick_ws(r, surnames, NELEM(surnames));
}

static const char *given_char(struct rng *r, int male, int first)
{
	if (first && rng_chance(r, 0.45))
		return PICK(r, given_n);
	return male ? PICK(r, given_m) : PICK(r, given_f);
}

/* A full name: surname and a 1- or 2-character given name. */
static const char *person_name(struct gen *g, struct rng *r, const char *sur, int male)
{
	if (!sur)
		sur = surname(r);
	if (rng_chance(r, 0.25))
		return gprintf(g, "%s%s", sur, given_char(r, male, 0));
	const char *c1 = given_char(r, male, 1);
	const char *c2 = given_char(r, male, 0);
	if (strcmp(c1, c2) == 0 && rng_chance(r, 0.7)) /* 叠字 now and then, not often */
		c2 = male ? PICK(r, given_m) : PICK(r, given_f);
	return gprintf(g, "%s%s%s", sur, c1, c2);
}

static const char *mobile(struct gen *g, struct rng *r)
{
	return gprintf(g, "%s%08ld", PICK(r, mobile_prefix), rng_below(r, 100000000L));
}

/*
 * A webmail address for talent idx: the surname's pinyin, a few letters (initials, as
 * people pick them) and at most three digits, at a common provider.  E-mail is stored in
 * plain text, so it is never made from the phone or ID number (both sealed at rest).  It
 * draws from a stream of its own, so the talent's other data do not depend on it.
 */
static const char *webmail(struct gen *g, long idx, const char *sur)
{
	static const char initials[] = "abcdefghjklmnopqrstwxyz"; /* no pinyin starts i/u/v */
	static const char *const seps[] = {"", "", ".", "_"};
	static const char *const domains[] = {"163.com", "126.com", "sina.com", "foxmail.com",
					      "outlook.com"};
	struct rng rr, *r = &rr;
	rng_seed(r, g->o->seed, ((uint64_t)idx + 1) | (1ULL << 62));
	const char *py = NULL;
	for (size_t i = 0; sur && i < NELEM(surname_py) && !py; i++)
		if (strcmp(surname_py[i][0], sur) == 0)
			py = surname_py[i][1];
	char letters[4];
	int nl = 1 + (int)rng_below(r, 3);
	for (int i = 0; i < nl; i++)
		letters[i] = initials[rng_below(r, (long)sizeof initials - 1)];
	letters[nl] = '\0';
	const char *sep = PICK(r, seps);
	const char *dom = PICK(r, domains);
	if (rng_chance(r, 0.25))
		return gprintf(g, "%s%s%s@%s", py ? py : "tp", sep, letters, dom);
	return gprintf(g, "%s%s%s%ld@%s", py ? py : "tp", letters, sep, rng_range(r, 1, 999),
		       dom);
}

static size_t pick_town(struct rng *r)
{
	int w[NELEM(towns)];
	for (size_t i = 0; i < NELEM(towns); i++)
		w[i] = towns[i].w;
	return pick_w(r, w, NELEM(towns));
}

/* -------------------------------------------------------------- enterprises */

static const char *const org_numeric_prefix[] = {"15", "26", "55", "61", "70", "73", "78"};

/* The 17 first characters of a credit code for enterprise idx (unique per idx). */
static void credit_code17(struct rng *r, long idx, char out[18])
{
	static const char cs[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char org[10];
	if (rng_chance(r, 0.6)) {
		/* post-2015 registrations: "MA" + 7 base-31 characters */
		const uint64_t mod = 27512614111ULL; /* 31^7 */
		uint64_t v = ((uint64_t)idx * 2654435761ULL + 123456789ULL) % mod;
		org[0] = 'M';
		org[1] = 'A';
		for (int i = 8; i >= 2; i--) {
			org[i] = cs[v % 31];
			v /= 31;
		}
	} else {
		/* older numeric organization codes: 2-digit prefix + 7 digits */
		const char *p = PICK(r, org_numeric_prefix);
		uint64_t v = ((uint64_t)idx * 3141593ULL + 1234567ULL) % 10000000ULL;
		org[0] = p[0];
		org[1] = p[1];
		for (int i = 8; i >= 2; i--) {
			org[i] = (char)('0' + v % 10);
			v /= 10;
		}
	}
	memcpy(out, "91350582", 8);
	memcpy(out + 8, org, 9);
	out[17] = '\0';
}

/* A unique enterprise name for industry ind in town t. */
static const char *enterprise_name(struct gen *g, struct rng *r, long idx, size_t ind,
				   size_t t)
{
	const struct strs *words = &ind_words[ind];
	for (int attempt = 0; attempt < 40; attempt++) {
		const char *trade = PICK(r, trade_names);
		const char *word = words->v[rng_below(r, (long)words->n)];
		const char *name;
		int form = (int)rng_below(r, 10);
		if (attempt >= 6)
			name = gprintf(g, "晋江市%s%s%s有限公司", towns[t].shortname, trade, word);
		else if (form < 7)
			name = gprintf(g, "晋江市%s%s有限公司", trade, word);
		else if (form < 9)
			name = gprintf(g, "福建%s%s股份有限公司", trade, word);
		else
			name = gprintf(g, "泉州%s%s有限公司", trade, word);
		if (!name)
			return NULL;
		if (set_add(&g->names, fnv1a(name)))
			return name;
	}
	/* still taken after 40 tries (rare, only with many thousands): the index decides */
	const char *name = gprintf(g, "晋江市%s%s%s有限公司（%ld）", towns[t].shortname,
				   PICK(r, trade_names), words->v[0], idx + 1);
	if (name)
		set_add(&g->names, fnv1a(name));
	return name;
}

static size_t enterprise_industry(struct rng *r, size_t town)
{
	if (town == TOWN_CIZAO && rng_chance(r, 0.5))
		return I_BMAT;
	if ((town == TOWN_CHENDAI || town == TOWN_SHENHU) && rng_chance(r, 0.5))
		return I_TEX;
	return pick_w(r, ind_w, I_COUNT);
}

static enum tp_rc gen_enterprises(struct gen *g, demo_progress cb, void *ctx)
{
	struct rng r;
	rng_seed(&r, g->o->seed, 0xe17e5ULL);
	uint64_t cum = 0;
	for (long i = 0; i < g->n_ent; i++) {
		if (i > 0 && i % ARENA_RESET == 0) {
			arena_free(g->a);
			if (!(g->a = arena_new()))
				return TP_ERR_NOMEM;
		}
		struct enterprise e;
		memset(&e, 0, sizeof e);
		size_t town = pick_town(&r);
		size_t ind = enterprise_industry(&r, town);
		size_t size = pick_w(&r, size_w, NELEM(size_w));
		char code[19];
		credit_code17(&r, i, code);
		code[17] = uscc_check_char(code);
		code[18] = '\0';
		if (!code[17])
			return TP_ERR_INTERNAL;
		e.name = enterprise_name(g, &r, i, ind, town);
		e.credit_code = arena_strndup(g->a, code, 18);
		e.town = towns[town].code;
		e.industry = ind_code[ind];
		e.size = sizes[size];
		e.contact_name = person_name(g, &r, NULL, rng_chance(&r, 0.55));
		if (rng_chance(&r, 0.7))
			e.contact_phone = mobile(g, &r);
		else
			e.contact_phone = gprintf(g, "0595-8%ld", rng_range(&r, 5000000, 8999999));
		e.address = gprintf(g, "晋江市%s%s%ld号", towns[town].name, PICK(&r, roads),
				    rng_range(&r, 1, 999));
		if (g->oom || !e.name || !e.credit_code)
			return TP_ERR_NOMEM;
		enum tp_rc rc = STORE_CALL(enterprise_insert, g->st, &e);
		if (rc != TP_OK)
			return rc;
		g->ent[i].id = e.id;
		g->ent[i].town = (unsigned char)town;
		g->ent[i].industry = (unsigned char)ind;
		cum += (uint64_t)size_staff_w[size];
		g->ent_cum[i] = cum;
		if (cb && ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == g->n_ent))
			cb(ctx, "enterprises", i + 1, g->n_ent);
	}
	return TP_OK;
}

/* An enterprise index drawn by staffing weight (larger firms employ more talents). */
static long pick_enterprise(struct gen *g, struct rng *r)
{
	uint64_t total = g->ent_cum[g->n_ent - 1];
	uint64_t x = (uint64_t)rng_below(r, (long)total);
	long lo = 0, hi = g->n_ent - 1;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (g->ent_cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ------------------------------------------------------------------ talents */

/* Draws a school for a degree (0 bachelor, 1 master, 2 phd). */
static const struct univ *pick_univ(struct rng *r, int level)
{
	int w[NELEM(univs)];
	for (size_t i = 0; i < NELEM(univs); i++)
		w[i] = univs[i].w[level];
	return &univs[pick_w(r, w, NELEM(univs))];
}

static const char *pick_major(struct rng *r, size_t ind)
{
	if (rng_chance(r, 0.6))
		return ind_majors[ind].v[rng_below(r, (long)ind_majors[ind].n)];
	return PICK(r, m_general);
}

/* Graduation day: June 30 or July 1 of year y. */
static long grad_day(struct rng *r, int y)
{
	return rng_chance(r, 0.5) ? ymd(y, 6, 30) : ymd(y, 7, 1);
}

/* A birth year in [lo, hi], weighted towards the younger end. */
static int birth_year(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	double u = rng_unit(r);
	double frac = u * (0.35 + 0.65 * u);
	int y = hi - (int)(frac * (double)(hi - lo + 1));
	return y < lo ? lo : y;
}

/* Fills the 17-digit prefix and its check character; keeps it unique by moving the
 * sequence (same parity) and then the birth day within its year. */
static void make_id(struct gen *g, struct rng *r, const char *region, long *birth, int male,
		    char id[19])
{
	long seq = rng_below(r, 500) * 2 + (male ? 1 : 0);
	for (;;) {
		struct civil_date b = date_from_days(*birth);
		uint64_t base = (uint64_t)strtoull(region, NULL, 10) * 100000000000ULL +
				(uint64_t)(b.y * 10000 + b.m * 100 + b.d) * 1000ULL;
		for (int k = 0; k < 500; k++) {
			uint64_t key = base + (uint64_t)seq;
			if (set_add(&g->ids, key)) {
				snprintf(id, 19, "%017llu", (unsigned long long)key);
				id[17] = idcard_check_char(id);
				id[18] = '\0';
				return;
			}
			seq = (seq + 2) % 1000;
		}
		/* all 500 sequences of this gender taken on this day: the next day, same year */
		long next = *birth + 1;
		*birth = year_of(next) == b.y ? next : ymd(b.y, 1, 1);
	}
}

struct job {
	long ent, start, end; /* end -1: open */
};

/* Whether a job covers any day of [from, to]. */
static int job_covers(const struct job *j, long from, long to)
{
	return j->start <= to && (j->end < 0 || j->end >= from);
}

/* Insured months of year y (months 1..last) from the jobs, with occasional gaps. */
static unsigned insured(struct rng *r, const struct job *jobs, int n, int y, int last)
{
	unsigned m = 0;
	for (int mo = 1; mo <= last; mo++) {
		long from = ymd(y, mo, 1);
		long to = (mo == 12 ? ymd(y + 1, 1, 1) : ymd(y, mo + 1, 1)) - 1;
		for (int k = 0; k < n; k++) {
			if (job_covers(&jobs[k], from, to)) {
				m |= 1u << (mo - 1);
				break;
			}
		}
	}
	if (m && rng_chance(r, 0.05)) {
		long gaps = rng_chance(r, 0.6) ? 1 : rng_range(r, 2, 3);
		for (long k = 0; k < gaps; k++)
			m &= ~(1u << rng_below(r, last));
	}
	return m;
}

static int64_t salary_fen(struct rng *r, enum deg d, int tier, double years)
{
	static const double base[] = {65000, 80000, 100000, 140000, 230000};
	static const double tier_mul[] = {1.0, 3.0, 2.6, 2.2, 1.7, 1.4, 1.2, 1.1};
	double y = years < 0 ? 0 : (years > 20 ? 20 : years);
	double s = base[d] * tier_mul[tier] * (1.0 + 0.03 * y);
	/* skew: a long right tail from the product of two uniforms */
	double u = rng_unit(r), v = rng_unit(r);
	s *= 0.75 + 0.9 * u * v + 0.2 * u;
	if (s < 60000)
		s = 60000 + rng_below(r, 10000);
	if (s > 800000)
		s = 800000;
	long yuan = (long)(s / 100.0) * 100; /* whole hundreds of 元 */
	return (int64_t)yuan * 100;
}

/* Tier 1..7 drawn for a degree. */
static int pick_tier(struct rng *r, enum deg d, int skill)
{
	static const int tw_phd[] = {1, 2, 7, 20, 70, 0, 0};
	static const int tw_master[] = {0, 1, 3, 6, 14, 60, 16};
	static const int tw_other[] = {0, 0, 1, 3, 10, 30, 56};
	const int *w = d == D_PHD ? tw_phd : d == D_MASTER ? tw_master : tw_other;
	int t = (int)pick_w(r, w, 7) + 1;
	if (skill == 1 && t > 5)
		t = 5;
	else if (skill == 2 && t > 6)
		t = 6;
	return t;
}

static double tier_chance(enum deg d, int skill)
{
	static const double p[] = {0.15, 0.25, 0.40, 0.65, 0.90};
	double v = p[d];
	if (skill >= 1 && skill <= 3)
		v += 0.25;
	return v > 0.95 ? 0.95 : v;
}

/* Generates and inserts talent number idx. */
static enum tp_rc gen_talent(struct gen *g, long idx)
{
	struct rng rr, *r = &rr;
	rng_seed(r, g->o->seed, (uint64_t)idx + 1);
	const int year = g->o->year;
	const long ref = g->ref; /* Jan 1 of the current year */
	struct talent t;
	memset(&t, 0, sizeof t);

	int male = rng_chance(r, 0.56);
	enum deg d = (enum deg)pick_w(r, deg_w, NELEM(deg_w));
	int short_term = rng_chance(r, 0.02);

	/* graduation ages, counted in years after the birth year */
	int age_assoc = 20 + (int)rng_below(r, 3);
	int age_bach = 21 + (int)rng_below(r, 3);
	int age_master = age_bach + 2 + (int)rng_below(r, 2);
	int age_phd = age_master + 3 + (int)rng_below(r, 3);
	int age_final = d == D_PHD ? age_phd : d == D_MASTER ? age_master
			: d == D_BACH ? age_bach : d == D_ASSOC ? age_assoc : 18;
	int hi = year - 1 - age_final;
	if (hi > 2003)
		hi = 2003;
	int by = birth_year(r, 1960, hi);
	long birth = ymd(by, 1, 1) + rng_below(r, ymd(by + 1, 1, 1) - ymd(by, 1, 1));

	const char *region;
	double u = rng_unit(r);
	if (short_term)
		region = u < 0.3 ? PICK(r, reg_quanzhou) : PICK(r, reg_other);
	else
		region = u < 0.76   ? "350582"
			 : u < 0.88 ? PICK(r, reg_quanzhou)
				    : PICK(r, reg_other);
	char id[19];
	make_id(g, r, region, &birth, male, id);

	const char *sur = surname(r);
	t.name = person_name(g, r, sur, male);
	t.gender = male ? "M" : "F";
	t.id_number = gprintf(g, "%s", id);
	t.birth_date = dstr(g, birth);
	t.phone = mobile(g, r);
	if (rng_chance(r, 0.4)) {
		if (rng_chance(r, 0.7))
			t.email = gprintf(g, "%ld@qq.com", rng_range(r, 100000L, 3999999999L));
		else
			t.email = webmail(g, idx, sur);
	}
	t.degree = deg_code[d];
	t.short_term = short_term;

	/* the current (or last) employer decides the industry that majors lean to */
	long cur_ent = pick_enterprise(g, r);
	size_t ind = g->ent[cur_ent].industry;

	/* educations */
	struct education *edu = arena_alloc(g->a, 3 * sizeof(*edu));
	if (!edu)
		return TP_ERR_NOMEM;
	size_t ne = 0;
	long final_grad = 0;
	if (d == D_ASSOC) {
		final_grad = grad_day(r, by + age_assoc);
		edu[ne++] = (struct education){"associate", pick_ws(r, colleges, NELEM(colleges)),
					       PICK(r, m_assoc), dstr(g, final_grad), 0};
	} else if (d >= D_BACH) {
		const struct univ *ub = pick_univ(r, 0);
		const char *major = pick_major(r, ind);
		final_grad = grad_day(r, by + age_bach);
		edu[ne++] = (struct education){"bachelor", ub->name, major, dstr(g, final_grad),
					       ub->dfc};
		if (d >= D_MASTER) {
			/* often the same school or a better one, same field */
			const struct univ *um =
				(rng_chance(r, 0.35) && ub->w[1]) ? ub : pick_univ(r, 1);
			if (rng_chance(r, 0.3))
				major = pick_major(r, ind);
			final_grad = grad_day(r, by + age_master);
			edu[ne++] = (struct education){"master", um->name, major,
						       dstr(g, final_grad), um->dfc};
			if (d == D_PHD) {
				const struct univ *up =
					(rng_chance(r, 0.4) && um->w[2]) ? um : pick_univ(r, 2);
				final_grad = grad_day(r, by + age_phd);
				edu[ne++] = (struct education){"phd", up->name, major,
							       dstr(g, final_grad), up->dfc};
			}
		}
	}
	t.educations = edu;
	t.n_educations = ne;
	if (ne) {
		t.graduated_on = edu[ne - 1].graduated_on;
		t.double_first_class = edu[ne - 1].double_first_class;
	} else {
		t.double_first_class = 0;
	}

	/* title and skill level, limited by age */
	int age = year - by;
	static const int title_w[] = {35, 30, 22, 10, 3};
	static const char *const title_code[] = {NULL, "junior", "intermediate",
						 "deputy_senior", "senior"};
	size_t ti = pick_w(r, title_w, NELEM(title_w));
	if (ti == 4 && age < 40)
		ti = 3;
	if (ti == 3 && age < 33)
		ti = 2;
	if (ti == 2 && age < 27)
		ti = 1;
	t.title = title_code[ti];
	int skill = 0;
	if (d <= D_ASSOC && rng_chance(r, 0.5)) {
		static const int skill_w[] = {5, 15, 25, 30, 25};
		skill = (int)pick_w(r, skill_w, NELEM(skill_w)) + 1;
	}
	t.skill_level = skill;

	/* tier */
	int tier = 0;
	if (rng_chance(r, tier_chance(d, skill)))
		tier = pick_tier(r, d, skill);
	if (short_term && (tier == 0 || tier > 5))
		tier = 3 + (int)rng_below(r, 3);

	/* career and employment history */
	long career = final_grad ? final_grad + rng_below(r, 120)
				 : add_years(birth, 18 + (int)rng_below(r, 3)) + rng_below(r, 300);
	if (career >= ref)
		career = ref - 1 - rng_below(r, 60);
	int employed = rng_chance(r, short_term ? 0.5 : 0.92);
	long span = ref - career;
	int nj = span < 400 ? 1 : span < 1500 ? 1 + (int)rng_below(r, 2)
					     : (int)pick_w(r, (const int[]){50, 35, 15}, 3) + 1;
	struct job jobs[3];
	long cuts[4];
	cuts[0] = career;
	for (int k = 1; k < nj; k++) /* sorted cut points inside the career span */
		cuts[k] = cuts[k - 1] + 180 + rng_below(r, (ref - cuts[k - 1]) / (nj - k + 1));
	for (int k = 0; k < nj; k++) {
		jobs[k].ent = k == nj - 1 ? cur_ent : pick_enterprise(g, r);
		jobs[k].start = cuts[k];
		jobs[k].end = k == nj - 1 ? -1 : cuts[k + 1] - 1 - rng_below(r, 60);
		if (jobs[k].end >= 0 && jobs[k].end < jobs[k].start)
			jobs[k].end = jobs[k].start;
	}
	struct job *last = &jobs[nj - 1];
	if (employed && nj > 1 && rng_chance(r, 0.08)) /* hired this year */
		last->start = ref + rng_below(r, 150);
	if (!employed) {
		long end = ref - 1 - rng_below(r, 500);
		last->end = end < last->start ? last->start : end;
	}
	for (int k = 0; k < nj - 1; k++) /* keep jobs in order after the moves above */
		if (jobs[k].end >= last->start)
			jobs[k].end = last->start - 1 < jobs[k].start ? jobs[k].start
								      : last->start - 1;

	const struct ent_info *ce = &g->ent[cur_ent];
	t.enterprise_id = employed ? ce->id : 0;
	t.industry = ind_code[ce->industry];
	t.town = towns[rng_chance(r, 0.9) ? ce->town : pick_town(r)].code;

	/* tier validity: five years, covering the current year for most */
	if (tier) {
		long from = rng_chance(r, 0.85) ? ymd(year - 4, 1, 1) + rng_below(r, 4 * 365)
						: ymd(year - 9, 1, 1) + rng_below(r, 4 * 365);
		long earliest = (final_grad ? final_grad : career) + 30;
		if (from < earliest)
			from = earliest + rng_below(r, 200);
		if (from > ymd(year, 3, 31))
			from = ref + rng_below(r, 90);
		long to = add_years(from, 5) - 1;
		t.tier = tier;
		t.tier_from = dstr(g, from);
		t.tier_to = dstr(g, to);
		long window = to - from < 365 ? to - from : 365;
		if (tier >= 3 && rng_chance(r, 0.075)) {
			t.quanzhou_level = tier - 2;
			t.quanzhou_selected_on = dstr(g, from + rng_below(r, window));
		}
		if (tier >= 3 && tier <= 5 && rng_chance(r, 0.045)) {
			t.provincial_level = tier - 2;
			t.provincial_selected_on = dstr(g, from + rng_below(r, window));
		}
	}

	/* yearly facts */
	struct talent_year *yrs = arena_alloc(g->a, 2 * sizeof(*yrs));
	if (!yrs)
		return TP_ERR_NOMEM;
	for (int k = 0; k < 2; k++) {
		int y = year - 1 + k;
		yrs[k].year = y;
		yrs[k].insured_months = insured(r, jobs, nj, y, k ? 10 : 12);
		yrs[k].days_in_jinjiang = -1;
		if (short_term) {
			if (rng_chance(r, 0.8))
				yrs[k].insured_months = 0;
			yrs[k].days_in_jinjiang = (int)rng_range(r, 12, 150);
		}
	}
	t.years = yrs;
	t.n_years = 2;

	/* home purchase */
	t.home_area_cm2 = -1;
	t.home_in_jinjiang = t.home_first = -1;
	t.startup_in_jinjiang = -1;
	if (rng_chance(r, 0.08)) {
		long lo = ymd(year - 5, 1, 1), hi_d = ymd(year, 6, 30);
		if (lo < career + 365)
			lo = career + 365;
		if (lo < hi_d) {
			t.home_contract_date = dstr(g, rng_range(r, lo, hi_d));
			t.home_area_cm2 = 5500 + (rng_below(r, 10501) + rng_below(r, 10501)) / 2;
			t.home_in_jinjiang = rng_chance(r, 0.88);
			t.home_first = rng_chance(r, 0.82);
		}
	}
	/* startup */
	if (rng_chance(r, 0.02)) {
		long lo = final_grad ? final_grad + 30 : career + 365;
		long hi_d = ymd(year, 6, 30);
		if (lo < hi_d) {
			long reach = hi_d - lo < 8 * 365 ? hi_d - lo : 8 * 365;
			t.startup_registered_on = dstr(g, lo + rng_below(r, reach));
			t.startup_in_jinjiang = rng_chance(r, 0.85);
		}
	}
	/* children */
	struct child *kids = NULL;
	size_t nk = 0;
	if (by < 1992 && rng_chance(r, 0.35)) {
		kids = arena_alloc(g->a, 2 * sizeof(*kids));
		if (!kids)
			return TP_ERR_NOMEM;
		int want = rng_chance(r, 0.55) ? 1 : 2;
		long kb = add_years(birth, 24 + (int)rng_below(r, 11)) + rng_below(r, 365);
		for (int k = 0; k < want && kb < ref; k++) {
			const char *ks = male || rng_chance(r, 0.3) ? sur : surname(r);
			kids[nk].name = person_name(g, r, ks, rng_chance(r, 0.52));
			kids[nk].birth_date = dstr(g, kb);
			nk++;
			kb = add_years(kb, 2 + (int)rng_below(r, 6)) + rng_below(r, 300);
		}
	}
	t.children = kids;
	t.n_children = nk;

	if (g->oom)
		return TP_ERR_NOMEM;
	enum tp_rc rc = STORE_CALL(talent_insert, g->st, &t);
	if (rc != TP_OK)
		return rc;

	/* employment records, oldest first */
	for (int k = 0; k < nj; k++) {
		const struct job *j = &jobs[k];
		size_t jind = g->ent[j->ent].industry;
		struct employment e;
		memset(&e, 0, sizeof e);
		e.talent_id = t.id;
		e.enterprise_id = g->ent[j->ent].id;
		e.started_on = dstr(g, j->start);
		e.ended_on = j->end >= 0 ? dstr(g, j->end) : NULL;
		const struct strs *pos = &ind_positions[jind];
		if (rng_chance(r, 0.5))
			e.position = pos->v[rng_below(r, (long)pos->n)];
		else
			e.position = PICK(r, p_general);
		double yrs_exp = (double)(j->start - career) / 365.25;
		e.annual_salary_fen = salary_fen(r, d, k == nj - 1 ? tier : 0, yrs_exp);
		if (g->oom)
			return TP_ERR_NOMEM;
		if ((rc = STORE_CALL(employment_insert, g->st, &e)) != TP_OK)
			return rc;
	}
	return TP_OK;
}

static enum tp_rc gen_talents(struct gen *g, demo_progress cb, void *ctx)
{
	enum tp_rc rc;
	for (long i = 0; i < g->o->talents; i++) {
		if (i > 0 && i % ARENA_RESET == 0) {
			arena_free(g->a);
			if (!(g->a = arena_new()))
				return TP_ERR_NOMEM;
		}
		if (i > 0 && i % BATCH_COMMIT == 0) {
			if ((rc = store_commit(g->st)) != TP_OK)
				return rc;
			if ((rc = store_begin(g->st)) != TP_OK)
				return rc;
		}
		if ((rc = gen_talent(g, i)) != TP_OK)
			return rc;
		if (cb && ((i + 1) % PROGRESS_EVERY == 0 || i + 1 == g->o->talents))
			cb(ctx, "talents", i + 1, g->o->talents);
	}
	return TP_OK;
}

long demo_default_enterprises(long talents)
{
	if (talents <= 10000)
		return 500;
	long n = talents / 20;
	return n > 20000 ? 20000 : n;
}

enum tp_rc demo_generate(struct store *st, const struct demo_opts *o, demo_progress cb,
			 void *ctx)
{
	if (!st || !o || o->talents < 0 || o->talents > DEMO_TALENTS_MAX || o->enterprises < 0 ||
	    o->enterprises > DEMO_ENTERPRISES_MAX || o->year < DEMO_YEAR_MIN ||
	    o->year > DEMO_YEAR_MAX)
		return TP_ERR_INVALID;
	struct gen g;
	memset(&g, 0, sizeof g);
	g.st = st;
	g.o = o;
	g.n_ent = o->enterprises ? o->enterprises : demo_default_enterprises(o->talents);
	g.ref = ymd(o->year, 1, 1);
	enum tp_rc rc = TP_ERR_NOMEM;
	g.a = arena_new();
	g.ent = calloc((size_t)g.n_ent, sizeof(*g.ent));
	g.ent_cum = calloc((size_t)g.n_ent, sizeof(*g.ent_cum));
	if (!g.a || !g.ent || !g.ent_cum || set_init(&g.ids, (size_t)o->talents) != 0 ||
	    set_init(&g.names, (size_t)g.n_ent) != 0)
		goto out;

	/* a bulk load into a new database: indexes are built once at the end (three times
	 * faster than keeping seven of them sorted row by row); an interrupted demo is
	 * simply run again with --force */
	int bulk = o->talents >= 50000;
	if (bulk && (rc = store_bulk(st, 1)) != TP_OK)
		goto out;
	if ((rc = store_begin(st)) != TP_OK)
		goto out;
	rc = gen_enterprises(&g, cb, ctx);
	if (rc == TP_OK)
		rc = gen_talents(&g, cb, ctx);
	if (rc == TP_OK)
		rc = store_commit(st);
	if (rc != TP_OK)
		store_rollback(st);
	if (bulk) {
		if (cb)
			cb(ctx, "indexes", 0, 1);
		enum tp_rc r2 = store_bulk(st, 0);
		if (rc == TP_OK)
			rc = r2;
	}
	if (rc == TP_OK) /* give the planner fresh statistics */
		rc = store_optimize(st, 1);
out:
	arena_free(g.a);
	free(g.ent);
	free(g.ent_cum);
	free(g.ids.v);
	free(g.names.v);
	return rc;
}
