# TalentPort — the two commands of the README, and a few more for developers.
#   make          build only (build/talentport)
#   make run      install what is missing, build, create var/talentport.db with demo data, serve
#   make test     install what is missing, build (plain and ASan+UBSan), run every test
#   make bench    benchmarks (bench/README.md); not part of the tests

BUILD      ?= build
ASAN_BUILD ?= build-asan
LISTEN     ?= 127.0.0.1:8080
DB         ?= var/talentport.db

.PHONY: all build web asan deps test-deps run test test-fast bench clean

all: build

build: web
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD) --buildtype=debugoptimized >/dev/null
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

# the web UI (web/ → web/dist), served by `talentport serve`
web:
	@scripts/build-web

asan:
	@test -f $(ASAN_BUILD)/build.ninja || meson setup $(ASAN_BUILD) --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C $(ASAN_BUILD) >/dev/null || ninja -C $(ASAN_BUILD)

deps:
	@scripts/install-deps

run: deps build
	@scripts/run-demo $(BUILD)/talentport $(DB) $(LISTEN)

# the tests also need Debian's chromium for the browser tests (tests/browser)
test-deps:
	@scripts/install-deps test

test: test-deps build asan
	@python3 scripts/run-tests.py --build $(BUILD) --build $(ASAN_BUILD)

# only the plain build: quicker while developing
test-fast: test-deps build
	@python3 scripts/run-tests.py --build $(BUILD)

bench: deps build
	@bench/run.sh $(BUILD)/talentport
	@bench/policy/run.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
