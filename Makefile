# SPDX-License-Identifier: MIT
# pxesuite — one top-level Makefile (GNU make), safe with -j.
#
#   make                 build the three daemons into build/ (BUILD=DIR for another tree)
#   make check           make deps, then unit, integration and end-to-end tests
#   make demo            make deps, then boot VMs through the three daemons
#   make install DESTDIR=... PREFIX=/usr   installs what make built, never compiles
#   make SANITIZE=address,undefined check
#   make WERROR=1        warnings are errors (CI)
#   make format-check    the tree is clang-formatted (.clang-format)
#   make ceilings        the benchmarks' measuring sticks (tests/bench/)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
LOCALSTATEDIR ?= /var
DOCDIR ?= $(PREFIX)/share/doc/pxesuite
INSTALL ?= install
PKG_CONFIG ?= pkg-config
# Units, tmpfiles.d and sysusers.d entries: installed into systemd's own prefix (PREFIX=/usr,
# a distro package), they go where systemd.pc says (Debian 12: units in
# /lib/systemd/system, the only place its debhelper looks); under another
# PREFIX (/usr/local, a home directory) into PREFIX/lib/systemd/system and
# PREFIX/lib/tmpfiles.d, PREFIX/lib/sysusers.d (systemd reads /usr/local/lib/...
# too). Each can be
# set on the command line.
SYSTEMD_PREFIX := $(shell $(PKG_CONFIG) --variable=prefix systemd 2>/dev/null)
ifeq ($(origin SYSTEMDUNITDIR),undefined)
SYSTEMDUNITDIR := $(or $(if $(filter $(SYSTEMD_PREFIX),$(PREFIX)),$(shell $(PKG_CONFIG) \
	--variable=systemdsystemunitdir systemd 2>/dev/null)),$(PREFIX)/lib/systemd/system)
endif
ifeq ($(origin TMPFILESDIR),undefined)
TMPFILESDIR := $(or $(if $(filter $(SYSTEMD_PREFIX),$(PREFIX)),$(shell $(PKG_CONFIG) \
	--variable=tmpfilesdir systemd 2>/dev/null)),$(PREFIX)/lib/tmpfiles.d)
endif
ifeq ($(origin SYSUSERSDIR),undefined)
SYSUSERSDIR := $(or $(if $(filter $(SYSTEMD_PREFIX),$(PREFIX)),$(shell $(PKG_CONFIG) \
	--variable=sysusersdir systemd 2>/dev/null)),$(PREFIX)/lib/sysusers.d)
endif

CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wno-missing-field-initializers
ifeq ($(WERROR),1)
WARNFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

PKGS := libuv inih
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
# OpenSSL 3 (libssl): pxe-httpd's HTTPS only. Its flags go to httpd's files
# and its libraries to pxe-httpd, its unit runner and its fuzzers only:
# pxe-dhcpd and pxe-tftpd never link it (tests/integration/httpd_tls.sh
# checks with ldd).
SSL_CFLAGS := $(shell $(PKG_CONFIG) --cflags openssl 2>/dev/null)
SSL_LIBS := $(shell $(PKG_CONFIG) --libs openssl 2>/dev/null)
httpd_LIBS := $(SSL_LIBS)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# Only the paths the code uses are compile flags (LOCALSTATEDIR: pxe-dhcpd's
# default lease file); any other install path here would make the flags-changed
# rule below recompile everything when it is given to make install.
# DEFAULT_USER/DEFAULT_GROUP: who a daemon started as root without --user
# becomes after binding (systemd/pxesuite.sysusers creates pxesuite).
DEFAULT_USER ?= pxesuite
DEFAULT_GROUP ?= $(DEFAULT_USER)
DEFS := -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -DPXE_VERSION='"$(VERSION)"' \
        -DPXE_LOCALSTATEDIR='"$(LOCALSTATEDIR)"' -DPXE_DEFAULT_USER='"$(DEFAULT_USER)"' \
        -DPXE_DEFAULT_GROUP='"$(DEFAULT_GROUP)"'
ALL_CFLAGS = -std=gnu11 $(WARNFLAGS) $(DEFS) -Icommon $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
             $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

# Everything the build makes goes under $(BUILD): objects, dependency files,
# the library, the binaries, the unit-test runners and the fuzzers. A second
# tree (make BUILD=build-asan SANITIZE=address,undefined) lives beside it.
BUILD ?= build
B := $(BUILD)

COMMON_SRCS := $(sort $(wildcard common/*.c))
COMMON_OBJS := $(COMMON_SRCS:%.c=$(B)/%.o)
LIBCOMMON := $(B)/libpxecommon.a

DAEMONS := dhcpd tftpd httpd
BINS := $(foreach d,$(DAEMONS),$(B)/pxe-$(d))
# Each daemon's sources (its folder and one level of subfolders, such as
# dhcpd/pxe/); main.o is left out of the unit-test runners and fuzzers.
define daemon_vars
$(1)_SRCS := $$(sort $$(wildcard $(1)/*.c $(1)/*/*.c))
$(1)_OBJS := $$($(1)_SRCS:%.c=$(B)/%.o)
$(1)_LIBOBJS := $$(filter-out $(B)/$(1)/main.o,$$($(1)_OBJS))
endef
$(foreach d,$(DAEMONS),$(eval $(call daemon_vars,$(d))))

UNIT_RUNNERS := $(foreach c,common $(DAEMONS),$(B)/tests/unit/run-$(c))
UNIT_HARNESS := $(B)/tests/unit/runner.o
unit_srcs = $(sort $(wildcard tests/unit/$(1)/*.c))
unit_objs = $(patsubst %.c,$(B)/%.o,$(call unit_srcs,$(1)))
UNIT_OBJS := $(foreach c,common $(DAEMONS),$(call unit_objs,$(c)))

ALL_OBJS := $(COMMON_OBJS) $(foreach d,$(DAEMONS),$($(d)_OBJS)) $(UNIT_OBJS) $(UNIT_HARNESS)

.PHONY: all check check-build check-unit check-integration check-e2e deps demo \
        install uninstall clean fuzz soak soak-deps lint format format-check spdx-check include-graph \
        units-check ceilings
all: $(BINS)

# Rebuild everything when the compiler or its flags change (SANITIZE=...).
FLAGS_LINE := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)
$(B)/.build-flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_LINE)' | cmp -s - $@ || echo '$(FLAGS_LINE)' > $@
FORCE:

# A daemon's files see its own folder on the include path, so a file in a
# subfolder (dhcpd/pxe/) and its parent name each other's headers the same way.
$(B)/%.o: %.c $(B)/.build-flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SRC_INC) -c -o $@ $<
$(foreach d,$(DAEMONS),$(eval $(B)/$(d)/%.o: SRC_INC := -I$(d)))
$(B)/httpd/%.o: SRC_INC += $(SSL_CFLAGS)

# Unit tests include the headers of the component they test through -I
# (tests/unit/dhcpd/ sees dhcpd/), never through relative paths.
$(B)/tests/unit/%.o: tests/unit/%.c $(B)/.build-flags
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SRC_INC) $(CHECK_CFLAGS) -Itests/unit -c -o $@ $<
$(foreach d,$(DAEMONS),$(eval $(B)/tests/unit/$(d)/%.o: SRC_INC := -I$(d)))

$(LIBCOMMON): $(COMMON_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

define daemon_rules
$(B)/pxe-$(1): $$($(1)_OBJS) $$(LIBCOMMON)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJS) $$(LIBCOMMON) $$(DEP_LIBS) $$($(1)_LIBS) $$(LIBS)
$(B)/tests/unit/run-$(1): $(UNIT_HARNESS) $$(call unit_objs,$(1)) $$($(1)_LIBOBJS) $$(LIBCOMMON)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(DEP_LIBS) $$(CHECK_LIBS) $$($(1)_LIBS) $$(LIBS)
endef
$(foreach d,$(DAEMONS),$(eval $(call daemon_rules,$(d))))

$(B)/tests/unit/run-common: $(UNIT_HARNESS) $(call unit_objs,common) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(CHECK_LIBS) $(LIBS)

# Test tools (tests/tools/): isols prints an ISO image's index (iso_reader.sh);
# ra_send runs pxe-dhcpd's router advertisements on one interface (dhcpd_ra.sh).
$(B)/tests/isols: $(B)/tests/tools/isols.o $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
$(B)/tests/ra_send: $(B)/tests/tools/ra_send.o $(B)/dhcpd/ra.o $(B)/dhcpd/v6/ra.o $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(LIBS)
$(B)/tests/tools/ra_send.o: SRC_INC := -Idhcpd
# eio_shim.so: an LD_PRELOAD library that fails writes and syncs of one file
# with EIO on demand (dhcpd_eio.sh). Built without the sanitizers: it runs
# inside the daemon, whose own build brings them.
$(B)/tests/eio_shim.so: tests/tools/eio_shim.c $(B)/.build-flags
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARNFLAGS) -D_GNU_SOURCE $(CFLAGS) -fPIC -shared -o $@ $< -ldl

# Measuring sticks (tests/bench/, not part of make check): the least a TFTP
# or HTTP server can do for the shared harness's clients, run beside our
# daemons to tell a server's limit from the client's. tftpceil's io_uring
# shell needs liburing (liburing-dev), which nothing else uses.
ceilings: $(B)/tests/bench/tftpceil $(B)/tests/bench/httpceil
$(B)/tests/bench/%: tests/bench/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 $(WARNFLAGS) $(CFLAGS) -o $@ $< $(if $(filter %/tftpceil,$@),$(or \
	  $(shell $(PKG_CONFIG) --libs liburing 2>/dev/null),$(error ceilings: tftpceil needs \
	  liburing (apt-get install liburing-dev))))

-include $(ALL_OBJS:.o=.d) $(B)/tests/tools/isols.d $(B)/tests/tools/ra_send.d

# ---------------------------------------------------------------- tests
# `make check` is the one test command (README). It installs what is missing
# first (make deps), then runs the layers; each prints its own summary line
# and tests/run-all prints the closing "N passed, N failed, N skipped".
# The test scripts find the binaries and runners under $(BUILD).
RUN_ALL = BUILD='$(BUILD)' SANITIZE='$(SANITIZE)' tests/run-all
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory check-build
	@$(RUN_ALL)

check-build: $(BINS) $(UNIT_RUNNERS) $(B)/tests/isols $(B)/tests/ra_send $(B)/tests/eio_shim.so

check-unit: check-build
	@$(RUN_ALL) unit
check-integration: check-build
	@$(RUN_ALL) integration
check-e2e: check-build
	@$(RUN_ALL) e2e

# The one list of packages this project needs, by Debian package name.
# Build: compiler, pkg-config, libraries. Test: the real clients and peers.
DEB_BUILD_PKGS := gcc make pkg-config libuv1-dev libinih-dev check libssl-dev
# clang's sanitizer runtime (libclang-rt) is only a Recommends of clang, and
# systemd-socket-activate (socket-activation tests) is in the systemd package.
DEB_TEST_PKGS := clang libclang-rt-dev|libclang-rt-14-dev clang-format-14 curl tftp-hpa atftp xorriso genisoimage \
                 busybox|busybox-static wrk iproute2 nftables mandoc python3 isc-dhcp-client \
                 procps strace systemd python3-scapy ndisc6 faketime dnsmasq-base openssl wget
DEB_E2E_PKGS := qemu-system-x86 ipxe-qemu ovmf ipxe pxelinux syslinux-common syslinux-efi isolinux cpio tcpdump
# The packaging checks (tests/packaging/ in .ci/run): a .deb built with
# debhelper (dpkg-checkbuilddeps wants build-essential), lintian,
# hardening-check (devscripts), systemd-analyze; systemd.pc (pkg-config)
# gives the unit and tmpfiles.d directories.
DEB_PKG_PKGS := build-essential debhelper devscripts lintian dpkg-dev fakeroot pkg-config systemd
deps:
	@PKG_CONFIG='$(PKG_CONFIG)' NO_DEPS='$(NO_DEPS)' tests/deps.sh \
		--build '$(DEB_BUILD_PKGS)' --test '$(DEB_TEST_PKGS) $(DEB_E2E_PKGS) $(DEB_PKG_PKGS)' \
		--pkgconfig 'libuv inih check'

# make soak SOAK_MINUTES=N: the three daemons under mixed load for N minutes
# (tests/soak/run, as root; not part of make check), failing on growth of
# memory or descriptors; samples, summary and a plot under $(BUILD)/soak
# (SOAK_OUT=DIR elsewhere). Its own package list: the plot's gnuplot.
DEB_SOAK_PKGS := gnuplot-nox curl tftp-hpa atftp busybox|busybox-static wrk iproute2 python3 procps
SOAK_MINUTES ?= 5
soak-deps:
	@PKG_CONFIG='$(PKG_CONFIG)' NO_DEPS='$(NO_DEPS)' tests/deps.sh \
		--build '$(DEB_BUILD_PKGS)' --test '$(DEB_SOAK_PKGS)' --pkgconfig 'libuv inih'
soak: soak-deps $(BINS)
	@BUILD='$(BUILD)' SOAK_MINUTES='$(SOAK_MINUTES)' tests/soak/run

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@BUILD='$(BUILD)' tests/e2e/demo.sh

# libFuzzer targets (clang): tests/fuzz/fuzz_COMPONENT_NAME.c links common/ and,
# when COMPONENT is a daemon, that daemon's sources without main.c.
# Build with `make fuzz`; run with build/fuzz/fuzz-COMPONENT_NAME -max_total_time=60.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/fuzz_%.c,$(B)/fuzz/fuzz-%,$(FUZZ_SRCS))
FUZZ_CC ?= clang
# FUZZ_SAN: tests/fuzz/campaign swaps in clang's coverage instrumentation
# (in a tree of its own, BUILD=build-fuzzcov) to measure what the corpus reaches.
FUZZ_SAN ?= -fsanitize=fuzzer,address,undefined
FUZZ_FLAGS := -std=gnu11 -g -O1 -Wall -Werror $(FUZZ_SAN) $(DEFS) -Icommon $(DEP_CFLAGS)
# make fuzz: build every target; with FUZZ_SECONDS=N also run each one N
# seconds from its seed corpus (tests/fuzz/corpus/TARGET, read-only; what
# the run finds goes to build/fuzz/corpus/TARGET), one summary line each.
fuzz: $(FUZZ_BINS)
ifneq ($(FUZZ_SECONDS),)
	@fail=0; for f in $(FUZZ_BINS); do t=$${f##*/fuzz-}; mkdir -p $(B)/fuzz/corpus/$$t $(B)/fuzz/crash; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/crash/$$t- $(B)/fuzz/corpus/$$t \
	    $$(test -d tests/fuzz/corpus/$$t && echo tests/fuzz/corpus/$$t) >$(B)/fuzz/$$t.log 2>&1 \
	    && r=ok || { r=FINDING; fail=1; }; \
	  echo "fuzz $$t: $$r $$(grep -oE 'stat::number_of_executed_units: *[0-9]+' $(B)/fuzz/$$t.log | grep -oE '[0-9]+$$') runs, \
	    $$(grep -oE 'cov: [0-9]+' $(B)/fuzz/$$t.log | tail -1) edges, corpus $$(ls $(B)/fuzz/corpus/$$t | wc -l)"; \
	done; exit $$fail
endif
# Each source is compiled once with the fuzz flags (under $(B)/fuzz/obj/)
# and linked into every target that needs it: compiling common/ and a
# daemon anew for each of the 15 targets made the fuzz smoke test of make
# check spend three minutes in the compiler.
FZ := $(B)/fuzz/obj
FUZZ_FLAGS_LINE := $(FUZZ_CC) $(FUZZ_FLAGS)
$(FZ)/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FUZZ_FLAGS_LINE)' | cmp -s - $@ || echo '$(FUZZ_FLAGS_LINE)' > $@
$(FZ)/%.o: %.c $(FZ)/.flags
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_INC) -MMD -MP -c -o $@ $<
$(foreach d,$(DAEMONS),$(eval $(FZ)/$(d)/%.o: FUZZ_INC := -I$(d)))
$(FZ)/httpd/%.o: FUZZ_INC += $(SSL_CFLAGS)
FUZZ_COMMON_OBJS := $(COMMON_SRCS:%.c=$(FZ)/%.o)
# a daemon's fuzz objects: its sources without main.c
fuzz_daemon_objs = $(patsubst %.c,$(FZ)/%.o,$(filter-out $(1)/main.c,$($(1)_SRCS)))
FUZZ_OBJS := $(FUZZ_COMMON_OBJS) $(FUZZ_SRCS:%.c=$(FZ)/%.o) \
             $(foreach d,$(DAEMONS),$(call fuzz_daemon_objs,$(d)))
.SECONDARY: $(FUZZ_OBJS)
-include $(FUZZ_OBJS:.o=.d)
$(B)/fuzz/fuzz-common_%: $(FZ)/tests/fuzz/fuzz_common_%.o $(FUZZ_COMMON_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(DEP_LIBS)
define fuzz_rules
$(FZ)/tests/fuzz/fuzz_$(1)_%.o: FUZZ_INC := -I$(1)
$(B)/fuzz/fuzz-$(1)_%: $(FZ)/tests/fuzz/fuzz_$(1)_%.o $$(FUZZ_COMMON_OBJS) $$(call fuzz_daemon_objs,$(1))
	$$(FUZZ_CC) $$(FUZZ_FLAGS) -o $$@ $$^ $$(DEP_LIBS) $$($(1)_LIBS)
endef
$(foreach d,$(DAEMONS),$(eval $(call fuzz_rules,$(d))))

# The house format (.clang-format), with the clang-format that make deps
# installs: another version formats some constructs differently.
CLANG_FORMAT ?= $(shell command -v clang-format-14 || command -v clang-format)
FORMAT_SRCS := $(sort $(wildcard common/*.[ch] $(foreach d,$(DAEMONS),$(d)/*.[ch] $(d)/*/*.[ch]) \
                 tests/unit/*.[ch] tests/unit/*/*.[ch] tests/fuzz/*.[ch] tests/tools/*.[ch] tests/bench/*.[ch]))
format:
	$(CLANG_FORMAT) -i $(FORMAT_SRCS)
format-check:
	@[ -n "$(CLANG_FORMAT)" ] || { echo "format-check: clang-format-14 not found (make deps)"; exit 1; }
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMAT_SRCS) && \
	 echo "format-check: $(words $(FORMAT_SRCS)) files formatted ($$($(CLANG_FORMAT) --version))"

# Every source file names its licence (SPDX) in its first lines; the example
# configurations, which admins edit, and data files are left out.
SPDX_SRCS = $(shell git ls-files 2>/dev/null | grep -E '\.(c|h|sh|py|service|socket|tmpfiles|sysusers|[58])$$|^(Makefile|tests/run-all|\.ci/run|tests/packaging/debian/rules)$$')
spdx-check:
	@missing=$$(for f in $(SPDX_SRCS); do head -3 "$$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$$f"; done); \
	if [ -n "$$missing" ]; then echo "spdx-check: no SPDX-License-Identifier in:"; echo "$$missing"; exit 1; fi; \
	echo "spdx-check: $(words $(SPDX_SRCS)) files carry SPDX-License-Identifier: MIT"

# Clean at the STYLE level too; the two messages left out depend on which
# other manuals the machine has installed, not on our pages.
lint:
	@out=$$(mandoc -Tlint -Wstyle man/*.[58] 2>&1 | \
		grep -vE 'STYLE: referenced manual not found|outdated mandoc\.db'); \
	if [ -n "$$out" ]; then printf '%s\n' "$$out"; exit 1; fi; \
	echo "lint: man/*.[58] clean (mandoc -Tlint -Wstyle)"

# Each daemon's module graph (from #include lines) must be one-way.
include-graph:
	@tests/include-graph.py common $(DAEMONS)

# systemd-analyze verify of every unit as make install writes it, and each
# service's exposure level (systemd-analyze security --offline=yes); .ci/run.
units-check: $(BINS)
	@BUILD='$(BUILD)' tests/packaging/units-check.sh

# ---------------------------------------------------------------- install
# install copies what `make` built and never compiles: a packager builds with
# the hardening flags (make CFLAGS=... LDFLAGS=...) and installs without them
# (make install DESTDIR=... PREFIX=/usr SYSCONFDIR=/etc); depending on $(BINS)
# would rebuild them with the install step's flags. Only a binary that is
# missing is built first.
INSTALL_NEEDS := $(filter-out $(wildcard $(BINS)),$(BINS))
# The units, config examples, tmpfiles.d and sysusers.d entries get the
# install paths and the default user.
SUBST_PATHS = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' -e 's|@DEFAULT_USER@|$(DEFAULT_USER)|g' \
	-e 's|@DEFAULT_GROUP@|$(DEFAULT_GROUP)|g'
UNITS := $(wildcard systemd/*.service systemd/*.socket)
CONFS := $(wildcard systemd/*.conf)
MAN8 := $(wildcard man/*.8)
MAN5 := $(wildcard man/*.5)
DOCS := README.md LICENSE AUTHORS
install: $(INSTALL_NEEDS)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSUSERSDIR) \
		$(DESTDIR)$(SYSCONFDIR)/pxesuite \
		$(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/
	# the configurations: examples under DOCDIR; in SYSCONFDIR never over the admin's own
	for c in $(CONFS); do \
		$(SUBST_PATHS) $$c > $(DESTDIR)$(DOCDIR)/examples/$${c#systemd/} && \
		chmod 0644 $(DESTDIR)$(DOCDIR)/examples/$${c#systemd/} || exit 1; \
		t=$(DESTDIR)$(SYSCONFDIR)/pxesuite/$${c#systemd/}; \
		[ -e $$t ] || $(INSTALL) -m 0644 $(DESTDIR)$(DOCDIR)/examples/$${c#systemd/} $$t || exit 1; \
	done
	for u in $(UNITS); do \
		$(SUBST_PATHS) $$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$${u#systemd/} && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$${u#systemd/} || exit 1; \
	done
	$(SUBST_PATHS) systemd/pxe-dhcpd.tmpfiles > $(DESTDIR)$(TMPFILESDIR)/pxe-dhcpd.conf
	chmod 0644 $(DESTDIR)$(TMPFILESDIR)/pxe-dhcpd.conf
	$(SUBST_PATHS) systemd/pxesuite.sysusers > $(DESTDIR)$(SYSUSERSDIR)/pxesuite.conf
	chmod 0644 $(DESTDIR)$(SYSUSERSDIR)/pxesuite.conf

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(notdir $(BINS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNITS)))
	rm -f $(DESTDIR)$(TMPFILESDIR)/pxe-dhcpd.conf
	rm -f $(DESTDIR)$(SYSUSERSDIR)/pxesuite.conf
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(DOCS)) \
		$(addprefix $(DESTDIR)$(DOCDIR)/examples/,$(notdir $(CONFS)))
	rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null || true
	# the configurations in $(SYSCONFDIR)/pxesuite are the admin's: left in place

clean:
	rm -rf $(BUILD)
