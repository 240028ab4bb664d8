# pxesuite — one top-level Makefile (GNU make), safe with -j.
#
#   make                 build common/libpxecommon.a and the three daemons
#   make check           make deps, then unit, integration and end-to-end tests
#   make demo            make deps, then boot VMs through the three daemons
#   make install DESTDIR=... PREFIX=/usr
#   make SANITIZE=address,undefined check
#   make WERROR=1        warnings are errors (CI)

VERSION := $(shell cat VERSION 2>/dev/null || echo 0)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
LOCALSTATEDIR ?= /var
RUNSTATEDIR ?= /run
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/pxesuite
INSTALL ?= install
PKG_CONFIG ?= pkg-config

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
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

DEFS := -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -DPXE_VERSION='"$(VERSION)"' \
        -DPXE_SYSCONFDIR='"$(SYSCONFDIR)"' -DPXE_LOCALSTATEDIR='"$(LOCALSTATEDIR)"'
ALL_CFLAGS = -std=gnu11 $(WARNFLAGS) $(DEFS) -Icommon $(DEP_CFLAGS) $(CPPFLAGS) $(CFLAGS) \
             $(SANFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

COMMON_SRCS := $(sort $(wildcard common/*.c))
COMMON_OBJS := $(COMMON_SRCS:.c=.o)
LIBCOMMON := common/libpxecommon.a

DAEMONS := dhcpd tftpd httpd
BINS := dhcpd/pxe-dhcpd tftpd/pxe-tftpd httpd/pxe-httpd
# Each daemon's objects; main.o is left out of the unit-test runners.
define daemon_vars
$(1)_SRCS := $$(sort $$(wildcard $(1)/*.c))
$(1)_OBJS := $$($(1)_SRCS:.c=.o)
$(1)_LIBOBJS := $$(filter-out $(1)/main.o,$$($(1)_OBJS))
endef
$(foreach d,$(DAEMONS),$(eval $(call daemon_vars,$(d))))

UNIT_RUNNERS := tests/unit/run-common $(foreach d,$(DAEMONS),tests/unit/run-$(d))
UNIT_HARNESS := tests/unit/runner.o
unit_srcs = $(sort $(wildcard tests/unit/$(1)/*.c))
UNIT_OBJS := $(foreach c,common $(DAEMONS),$(patsubst %.c,%.o,$(call unit_srcs,$(c))))

ALL_OBJS := $(COMMON_OBJS) $(foreach d,$(DAEMONS),$($(d)_OBJS)) $(UNIT_OBJS) $(UNIT_HARNESS)

.PHONY: all check check-build check-unit check-integration check-e2e deps demo \
        install uninstall clean fuzz lint
all: $(BINS)

# Rebuild everything when the compiler or its flags change (SANITIZE=...).
FLAGS_LINE := $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)
.build-flags: FORCE
	@echo '$(FLAGS_LINE)' | cmp -s - $@ || echo '$(FLAGS_LINE)' > $@
FORCE:

%.o: %.c .build-flags
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests/unit/%.o: tests/unit/%.c .build-flags
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests/unit -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

define daemon_rules
$(1)/pxe-$(1): $$($(1)_OBJS) $$(LIBCOMMON)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJS) $$(LIBCOMMON) $$(DEP_LIBS) $$(LIBS)
tests/unit/run-$(1): $(UNIT_HARNESS) $$(patsubst %.c,%.o,$$(call unit_srcs,$(1))) $$($(1)_LIBOBJS) $$(LIBCOMMON)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $$(DEP_LIBS) $$(CHECK_LIBS) $$(LIBS)
endef
$(foreach d,$(DAEMONS),$(eval $(call daemon_rules,$(d))))

tests/unit/run-common: $(UNIT_HARNESS) $(patsubst %.c,%.o,$(call unit_srcs,common)) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS) $(CHECK_LIBS) $(LIBS)

-include $(ALL_OBJS:.o=.d)

# ---------------------------------------------------------------- tests
# `make check` is the one test command (README). It installs what is missing
# first (make deps), then runs the layers; each prints its own summary line
# and tests/run-all prints the closing "N passed, N failed, N skipped".
check:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory check-build
	@tests/run-all

check-build: $(BINS) $(UNIT_RUNNERS)

check-unit: check-build
	@tests/run-all unit
check-integration: check-build
	@tests/run-all integration
check-e2e: check-build
	@tests/run-all e2e

# The one list of packages this project needs, by Debian package name.
# Build: compiler, pkg-config, libraries. Test: the real clients and peers.
DEB_BUILD_PKGS := gcc make pkg-config libuv1-dev libinih-dev check
DEB_TEST_PKGS := clang curl tftp-hpa atftp busybox|busybox-static wrk iproute2 nftables mandoc \
                 python3 isc-dhcp-client procps
DEB_E2E_PKGS := qemu-system-x86 ipxe-qemu ovmf ipxe pxelinux syslinux-common syslinux-efi cpio tcpdump
deps:
	@PKG_CONFIG='$(PKG_CONFIG)' NO_DEPS='$(NO_DEPS)' tests/deps.sh \
		--build '$(DEB_BUILD_PKGS)' --test '$(DEB_TEST_PKGS) $(DEB_E2E_PKGS)' \
		--pkgconfig 'libuv inih check'

demo:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory all
	@if [ -x tests/e2e/demo.sh ]; then tests/e2e/demo.sh; \
	 else echo "make demo: not built yet (the end-to-end VM boots come with issue 8)"; fi

# libFuzzer targets (clang): tests/fuzz/fuzz_COMPONENT_NAME.c links common/ and,
# when COMPONENT is a daemon, that daemon's sources without main.c.
# Build with `make fuzz`; run with tests/fuzz/fuzz-COMPONENT_NAME -max_total_time=60.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/fuzz_%.c,tests/fuzz/fuzz-%,$(FUZZ_SRCS))
FUZZ_CC ?= clang
FUZZ_FLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) -Icommon $(DEP_CFLAGS)
fuzz: $(FUZZ_BINS)
tests/fuzz/fuzz-common_%: tests/fuzz/fuzz_common_%.c $(COMMON_SRCS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ $(DEP_LIBS)
define fuzz_rules
tests/fuzz/fuzz-$(1)_%: tests/fuzz/fuzz_$(1)_%.c $$(COMMON_SRCS) $$(filter-out $(1)/main.c,$$($(1)_SRCS))
	$$(FUZZ_CC) $$(FUZZ_FLAGS) -o $$@ $$^ $$(DEP_LIBS)
endef
$(foreach d,$(DAEMONS),$(eval $(call fuzz_rules,$(d))))

lint:
	mandoc -Tlint -Wwarning man/*.[58]

# ---------------------------------------------------------------- install
install: $(BINS)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(SYSTEMDUNITDIR)
	$(INSTALL) -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)/
	$(if $(wildcard man/*.8),$(INSTALL) -m 0644 $(wildcard man/*.8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(wildcard man/*.5),$(INSTALL) -m 0644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5/)
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/pxesuite
	# default configuration: never overwrite the admin's own
	for c in $(wildcard systemd/*.conf); do \
		t=$(DESTDIR)$(SYSCONFDIR)/pxesuite/$${c#systemd/}; \
		[ -e $$t ] || $(INSTALL) -m 0644 $$c $$t; \
	done
	for u in $(wildcard systemd/*.service systemd/*.socket); do \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		    -e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' $$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$${u#systemd/}; \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$${u#systemd/}; \
	done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(notdir $(BINS)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard man/*.8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(wildcard man/*.5)))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(wildcard systemd/*.service systemd/*.socket)))

clean:
	rm -f $(ALL_OBJS) $(ALL_OBJS:.o=.d) $(LIBCOMMON) $(BINS) $(UNIT_RUNNERS) $(FUZZ_BINS) .build-flags
	rm -rf tests/.tmp
