# hrpolicy: PGXS build.
#
#   make             build the extension
#   make install     install it (then CREATE EXTENSION hrpolicy CASCADE)
#   make test        the whole suite on a throwaway cluster (installs what
#                    is missing on Debian/Ubuntu when run as root)
#   make demo        the sample city government and its compliance report
#   make bench       benchmarks (BENCH_QUICK=1 for the smallest scale)
#   make fuzz        libFuzzer on the text parsers (FUZZ_SECONDS=60)
#   make sanitize    the suite against an ASan/UBSan build of the extension (SANITIZE_SUITE=quick)
#   make test-citus  the reports on a Citus cluster against a single node (builds Citus
#                    from ../shared/vendor once, into /var/cache/hrpolicy)

EXTENSION = hrpolicy
EXTVERSION := $(shell sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = hrpolicy
OBJS = \
	src/hrpolicy.o \
	src/messages.o \
	src/quota.o \
	src/quota_text.o \
	src/tally.o \
	src/tally_text.o \
	src/rule_filters.o \
	src/tally_each.o \
	src/compliance_rows.o \
	src/resolution.o \
	src/catalog.o \
	src/validity.o \
	src/enforce.o \
	src/words.o \
	src/hints.o \
	src/explanation.o \
	src/person_days.o \
	src/person_period.o \
	src/person_compliance.o \
	src/earlier_releases.o

# The install script is built from one source per concern, in this order.
SQL_PARTS = \
	src/schema.sql \
	src/messages.sql \
	src/quota.sql \
	src/tally.sql \
	src/validity.sql \
	src/validity_input.sql \
	src/words.sql \
	src/catalog_tables.sql \
	src/catalog.sql \
	src/resolution.sql \
	src/roster.sql \
	src/tally_each.sql \
	src/report_types.sql \
	src/reports.sql \
	src/person_reports.sql \
	src/person_days.sql \
	src/diagnose.sql \
	src/calendar.sql \
	src/enforce.sql \
	src/grants.sql

# Releases: the frozen install and upgrade scripts of each earlier release,
# and the upgrade script from the last one: what must happen first
# (upgrade/), then the sources of every object made anew, with CREATE OR
# REPLACE so that user objects built on functions that keep their
# signature survive, then what must happen last.
DATA = \
	releases/$(EXTENSION)--0.1.0.sql \
	releases/$(EXTENSION)--0.1.0--0.2.0.sql \
	releases/$(EXTENSION)--0.2.0.sql
UPGRADE_FIRST = upgrade/0.2.0--0.3.0.sql src/report_types.sql
UPGRADE_REMADE = \
	src/messages.sql \
	src/validity_input.sql \
	src/words.sql \
	src/catalog.sql \
	src/resolution.sql \
	src/roster.sql \
	src/reports.sql \
	src/person_reports.sql \
	src/person_days.sql \
	src/diagnose.sql \
	src/calendar.sql \
	src/enforce.sql \
	src/grants.sql
UPGRADE_LAST = upgrade/0.2.0--0.3.0-enforce.sql

DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(EXTENSION)--0.2.0--$(EXTVERSION).sql

# Tests are discovered: every test/sql/*.sql (regression tests and pgTAP
# property tests, which print TAP) and every test/specs/*.spec (isolation).
# Each stands alone: test/preamble.sql gives it a fresh extension.
REGRESS = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test --load-extension=ltree

ISOLATION = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=ltree --load-extension=hrpolicy

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL's server development files were not found (pg_config: $(PG_CONFIG))." >&2
	@echo "Install the package for your server's version, e.g. on Debian/Ubuntu postgresql-server-dev-15 (make deps does)," >&2
	@echo "or name its pg_config: make PG_CONFIG=/usr/lib/postgresql/NN/bin/pg_config" >&2
	@exit 1
endif

# A generated script: $(1) the command that loads it, $(2) sources copied
# as they are, $(3) sources whose functions and aggregates are made with
# CREATE OR REPLACE (an upgrade remaking objects user views may use), $(4)
# sources copied last.
define generate_script
( printf -- '-- generated from %s; edit those, not this file\n' '$(strip $(2) $(3) $(4))'; \
  printf -- '\\echo Use "%s" to load this file. \\quit\n' '$(1)'; \
  for part in $(2); do printf -- '\n-- %s\n' "$$part"; cat "$$part"; done; \
  for part in $(3); do printf -- '\n-- %s, with CREATE OR REPLACE\n' "$$part"; \
    sed -E 's/^( *)CREATE (FUNCTION|AGGREGATE) /\1CREATE OR REPLACE \2 /' "$$part"; done; \
  for part in $(4); do printf -- '\n-- %s\n' "$$part"; cat "$$part"; done ) > $@
endef

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	$(call generate_script,CREATE EXTENSION $(EXTENSION) CASCADE,$(SQL_PARTS),,)

$(EXTENSION)--0.2.0--$(EXTVERSION).sql: $(UPGRADE_FIRST) $(UPGRADE_REMADE) $(UPGRADE_LAST) $(EXTENSION).control
	$(call generate_script,ALTER EXTENSION $(EXTENSION) UPDATE,$(UPGRADE_FIRST),$(UPGRADE_REMADE),$(UPGRADE_LAST))

.PHONY: deps test test-citus demo bench fuzz sanitize
# Translations: po/<lang>.po for each language of po/LINGUAS, compiled
# with msgfmt and installed where PostgreSQL keeps its own catalogues, as
# <localedir>/<lang>/LC_MESSAGES/hrpolicy-<major>.mo (the text domain the
# C code binds).  Without msgfmt (Debian's gettext package) the extension
# builds and speaks English.  make po-update extracts the texts of the C
# and SQL sources into po/hrpolicy.pot and merges them into each .po: a
# new message then shows as untranslated, which make test refuses.
LANGUAGES := $(shell cat po/LINGUAS 2>/dev/null)
MSGFMT ?= $(shell command -v msgfmt 2>/dev/null)
ifneq ($(MSGFMT),)
MO_FILES = $(addprefix po/,$(addsuffix .mo,$(LANGUAGES)))
endif
EXTRA_CLEAN = $(MO_FILES) po/hrpolicy.pot
GETTEXT_TRIGGERS = errmsg errmsg_plural:1,2 errdetail errdetail_plural:1,2 errhint errcontext \
	hr_gettext hr_gettext_cached gettext_noop WORD:1c,2

all: $(MO_FILES)

po/%.mo: po/%.po
	$(MSGFMT) --check -o $@ $<

install: install-po
install-po: $(MO_FILES)
	@set -e; for lang in $(if $(MO_FILES),$(LANGUAGES)); do \
	  $(MKDIR_P) '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES; \
	  $(INSTALL_DATA) po/$$lang.mo '$(DESTDIR)$(localedir)'/$$lang/LC_MESSAGES/$(EXTENSION)-$(MAJORVERSION).mo; \
	done

uninstall: uninstall-po
uninstall-po:
	rm -f $(foreach lang,$(LANGUAGES),'$(DESTDIR)$(localedir)'/$(lang)/LC_MESSAGES/$(EXTENSION)-$(MAJORVERSION).mo)

po/hrpolicy.pot: $(OBJS:.o=.c) $(SQL_PARTS) scripts/po_sql.py
	xgettext --language=C --from-code=UTF-8 --sort-output --add-comments=translator: \
	  --package-name=hrpolicy -k_ $(addprefix -k,$(GETTEXT_TRIGGERS)) --flag=hr_gettext:1:c-format --flag=hr_gettext_cached:1:c-format \
	  -o po/c.pot $(OBJS:.o=.c)
	python3 scripts/po_sql.py $(SQL_PARTS) > po/sql.pot
	msgcat --use-first --sort-output -o $@ po/c.pot po/sql.pot
	rm -f po/c.pot po/sql.pot

po-update: po/hrpolicy.pot
	@for lang in $(LANGUAGES); do msgmerge --quiet --update --backup=none --no-location --sort-output po/$$lang.po $<; done

.PHONY: deps test demo bench fuzz sanitize install-po uninstall-po po-update

deps:
	scripts/deps.sh

test:
	scripts/test.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh

sanitize:
	scripts/sanitize.sh

.PHONY: test-citus test-versions deb deb-check

test-citus:
	scripts/test_citus.sh

test-versions:
	scripts/test_versions.sh

deb:
	scripts/deb.sh

deb-check:
	scripts/deb_check.sh
