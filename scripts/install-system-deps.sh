#!/usr/bin/env bash
# Installs the system programs the platform needs when they are absent:
# ffmpeg/ffprobe, poppler-utils (pdftoppm/pdfinfo: PDF slide pages), PostgreSQL 15 and Redis (always); for the tests (--for-tests) also Debian's
# chromium with CJK fonts, and strace (a test watches which files ffprobe opens).
# Always: the demo identity providers the tests and the `npm start` demo run project-locally
# (scripts/idp/): SimpleSAMLphp with PHP (SAML 2.0), LemonLDAP::NG's portal (CAS 3.0) with
# SQLite for its user table and the Perl modules its portal loads at start that Debian only
# recommends. nginx only stands in for the web server both packages ask for, which would
# otherwise be apache2: we never start it (the servers run on PHP's and Plack's own).
# Uses apt-get on Debian/Ubuntu; elsewhere it stops with a message naming what to install.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib.sh
source "$here/lib.sh"

# Debian package names; `--list` prints them all (a test checks apt can resolve each).
packages_ffmpeg=(ffmpeg)
packages_poppler=(poppler-utils)
packages_postgres=(postgresql-15) # contrib modules (pg_trgm, ...) ship inside it on Debian 12
packages_redis=(redis-server)
packages_tests=(chromium fonts-noto-cjk strace)
packages_saml_idp=(php-cli php-cgi php-xml php-mbstring nginx simplesamlphp)
packages_cas_idp=(nginx lemonldap-ng-fastcgi-server liblemonldap-ng-portal-perl libplack-perl libdbd-sqlite3-perl
  libxml-simple-perl libio-string-perl libgd-securityimage-perl libimage-magick-perl libipc-run-perl
  libconvert-base32-perl libmime-tools-perl libunicode-string-perl libio-socket-timeout-perl)
if [[ "${1:-}" == "--list" ]]; then
  echo "${packages_ffmpeg[*]} ${packages_poppler[*]} ${packages_postgres[*]} ${packages_redis[*]} ${packages_tests[*]} ${packages_saml_idp[*]} ${packages_cas_idp[*]}"
  exit 0
fi
for_tests=0
[[ "${1:-}" == "--for-tests" ]] && for_tests=1

missing=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=("${packages_ffmpeg[@]}")
command -v pdftoppm >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 || missing+=("${packages_poppler[@]}")
# Only needed when we run our own services (no DATABASE_URL / REDIS_URL given).
if [[ -z "${DATABASE_URL:-}" ]]; then
  [[ -x "$(pg_bindir)/initdb" && -x "$(pg_bindir)/pg_ctl" ]] || missing+=("${packages_postgres[@]}")
fi
if [[ -z "${REDIS_URL:-}" ]]; then
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=("${packages_redis[@]}")
fi
[[ -x /usr/bin/php && -f /usr/share/simplesamlphp/www/module.php ]] \
  && /usr/bin/php -r 'exit(extension_loaded("dom") && extension_loaded("mbstring") ? 0 : 1);' 2>/dev/null \
  || missing+=("${packages_saml_idp[@]}")
[[ -x /usr/bin/plackup ]] \
  && /usr/bin/perl -MLemonldap::NG::Portal::Issuer::CAS -MLemonldap::NG::Portal::Auth::DBI -MDBD::SQLite -MGD::SecurityImage=use_magick,1 -e 1 2>/dev/null \
  || missing+=("${packages_cas_idp[@]}")
if [[ $for_tests == 1 ]]; then
  [[ -x /usr/bin/chromium ]] || missing+=(chromium fonts-noto-cjk)
  command -v strace >/dev/null 2>&1 || missing+=(strace)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  log "system programs present (ffmpeg, poppler, postgresql, redis, simplesamlphp, lemonldap-ng$([[ $for_tests == 1 ]] && echo ', chromium, strace'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  die "missing system packages: ${missing[*]}. This system has no apt-get: install them with your package manager (PostgreSQL 15, Redis 7, ffmpeg 5+, poppler-utils, Chromium; SimpleSAMLphp with PHP, LemonLDAP::NG with DBD::SQLite for the demo identity providers), or point DATABASE_URL / REDIS_URL at running services, then run the command again."
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "missing system packages: ${missing[*]}; installing them needs root. Run: sudo apt-get install -y ${missing[*]}"
  sudo_cmd=(sudo)
fi

log "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# The package lists may be absent or stale on a fresh machine.
"${sudo_cmd[@]}" apt-get update -qq >/dev/null || warn "apt-get update failed; trying the install with the lists we have"
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || die "apt-get could not install: ${missing[*]}. Check the messages above, install them by hand, and run the command again."
# Debian's postgresql package creates and starts a system-wide cluster on 5432; we use our own.
log "installed: ${missing[*]}"
