#!/bin/sh
# bench/import.sh — 100,000-row talent import on a fresh database.
#   bench/import.sh [path/to/talentport] [rows]
# Generates a CSV of valid, distinct people (GB 11643 check digits computed here),
# runs `talentport import talents` under `time`, prints rows/s.  Target: < 10 s.
set -eu
BIN=${1:-build/talentport}
ROWS=${2:-100000}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/tp-bench-import.XXXXXX")
trap 'rm -rf "$DIR"' EXIT

python3 - "$DIR/talents.csv" "$ROWS" <<'PY'
import sys, random
path, rows = sys.argv[1], int(sys.argv[2])
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
C = '10X98765432'
rnd = random.Random(42)
towns = ['陈埭镇', '安海镇', '磁灶镇', '青阳街道', '350582104', '池店镇']
inds = ['纺织鞋服', '食品饮料', 'IC', '装备机械', '数字经济']
degrees = ['本科', '硕士', '博士', '大专', '']
sur = '陈林王张李黄吴许蔡洪施郑'
given = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚'
with open(path, 'w', encoding='utf-8-sig', newline='') as f:
    f.write('姓名,身份证号,性别,出生日期,手机号,学历,毕业院校,专业,毕业日期,双一流,'
            '所在镇街,产业,人才层次,层次起始日期,层次截止日期\r\n')
    seen = set()
    i = 0
    while i < rows:
        y = rnd.randint(1960, 2000); m = rnd.randint(1, 12); d = rnd.randint(1, 28)
        seq = rnd.randint(0, 999)
        s17 = '350582%04d%02d%02d%03d' % (y, m, d, seq)
        if s17 in seen:
            continue
        seen.add(s17)
        idn = s17 + C[sum(int(a) * b for a, b in zip(s17, W)) % 11]
        g = '男' if seq % 2 else '女'
        deg = degrees[i % 5]
        edu = ',' * 4 if not deg else '%s,华侨大学,材料,%04d-07-01,%s' % (
            deg, y + 22, '是' if i % 7 == 0 else '否')
        tier = (i % 7) + 1 if i % 3 == 0 else ''
        tdates = '2024-01-01,2026-12-31' if tier else ','
        f.write('%s%s,%s,%s,%04d-%02d-%02d,1%d%09d,%s,%s,%s,%s,%s\r\n' % (
            rnd.choice(sur), rnd.choice(given) + rnd.choice(given), idn, g, y, m, d,
            rnd.randint(3, 9), i, edu, towns[i % len(towns)], inds[i % len(inds)],
            tier, tdates))
        i += 1
PY

"$BIN" migrate --db "$DIR/bench.db" >/dev/null
start=$(date +%s.%N)
/usr/bin/env time -f '%e s elapsed, %M KiB max RSS' \
	"$BIN" import talents "$DIR/talents.csv" --db "$DIR/bench.db" || {
	echo "bench/import: the import failed" >&2
	exit 1
}
end=$(date +%s.%N)
python3 -c "import sys; t=float(sys.argv[2])-float(sys.argv[1]); n=int(sys.argv[3]); \
print(f'import: {n} rows in {t:.2f} s = {n/t:,.0f} rows/s (target: 100,000 rows < 10 s)')" \
	"$start" "$end" "$ROWS"
