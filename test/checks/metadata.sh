#!/usr/bin/env bash
# The release metadata: META.json is valid against the PGXN Meta Spec 1.0.0
# (required keys, SemVer versions, a known license, provides, prereqs,
# resources, no unknown keys), and the version is the one of
# hrpolicy.control (default_version, the single source the Makefile reads)
# in META.json (version and provides) and in debian/changelog.
# Needs no cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 - META.json hrpolicy.control debian/changelog <<'PY'
import json, re, sys

meta_path, control_path, changelog_path = sys.argv[1:4]
problems = []
def bad(where, what):
    problems.append(f"{where}: {what}")

try:
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"metadata: FAILED: {meta_path} is not valid JSON: {e}")

semver = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+)?$")
version_range = re.compile(r"^\s*(?:(?:[<>]=?|==|!=)\s*)?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+)?\s*$")
uri = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")
email = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
licenses = {"agpl_3", "apache_1_1", "apache_2_0", "artistic_1", "artistic_2", "bsd", "freebsd",
            "gfdl_1_2", "gfdl_1_3", "gpl_1", "gpl_2", "gpl_3", "lgpl_2_1", "lgpl_3_0", "mit",
            "mozilla_1_0", "mozilla_1_1", "openssl", "perl_5", "postgresql", "qpl_1_0", "ssleay",
            "sun", "zlib", "open_source", "restricted", "unrestricted", "unknown"}
known = {"name", "abstract", "description", "version", "maintainer", "license", "provides",
         "prereqs", "resources", "generated_by", "tags", "release_status", "meta-spec", "no_index"}

def nonempty_string(v):
    return isinstance(v, str) and v.strip() != ""

for key in ("name", "abstract", "maintainer", "license", "provides", "version", "meta-spec"):
    if key not in meta:
        bad(key, "required by the spec, missing")
for key in meta:
    if key not in known and not key.lower().startswith("x_"):
        bad(key, "not a key of the spec (custom keys start with x_)")

name = meta.get("name")
if not nonempty_string(name) or len(name) < 2 or re.search(r"[\s/\\\x00-\x1f]", name):
    bad("name", f"{name!r} is not a distribution name (2+ characters, no spaces or slashes)")
for key in ("abstract", "description", "generated_by"):
    if key in meta and not nonempty_string(meta[key]):
        bad(key, "must be a non-empty string")
if not semver.match(str(meta.get("version", ""))):
    bad("version", f"{meta.get('version')!r} is not a SemVer version")
m = meta.get("maintainer")
if not (nonempty_string(m) or (isinstance(m, list) and m and all(nonempty_string(x) for x in m))):
    bad("maintainer", "a string or a non-empty list of strings")
lic = meta.get("license")
if isinstance(lic, str):
    if lic not in licenses:
        bad("license", f"{lic!r} is not a license string of the spec")
elif isinstance(lic, list):
    if not lic or any(x not in licenses for x in lic):
        bad("license", f"{lic!r}: every element must be a license string of the spec")
elif isinstance(lic, dict):
    if not lic or any(not uri.match(str(v)) for v in lic.values()):
        bad("license", "an object of license names to URLs")
else:
    bad("license", "a string, list or object")

provides = meta.get("provides")
if not isinstance(provides, dict) or not provides:
    bad("provides", "an object naming at least one extension")
else:
    for ext, p in provides.items():
        if not isinstance(p, dict):
            bad(f"provides.{ext}", "an object")
            continue
        for key in p:
            if key not in ("file", "version", "abstract", "docfile") and not key.lower().startswith("x_"):
                bad(f"provides.{ext}.{key}", "not a key of the spec")
        if not nonempty_string(p.get("file")):
            bad(f"provides.{ext}.file", "required")
        if not semver.match(str(p.get("version", ""))):
            bad(f"provides.{ext}.version", f"{p.get('version')!r} is not a SemVer version")
        for key in ("file", "docfile"):
            if key in p:
                try:
                    open(p[key]).close()
                except OSError:
                    bad(f"provides.{ext}.{key}", f"{p[key]} does not exist")

prereqs = meta.get("prereqs", {})
if not isinstance(prereqs, dict):
    bad("prereqs", "an object")
else:
    for phase, relations in prereqs.items():
        if phase not in ("configure", "build", "test", "runtime", "develop"):
            bad(f"prereqs.{phase}", "not a phase of the spec")
            continue
        if not isinstance(relations, dict):
            bad(f"prereqs.{phase}", "an object")
            continue
        for relation, reqs in relations.items():
            if relation not in ("requires", "recommends", "suggests", "conflicts"):
                bad(f"prereqs.{phase}.{relation}", "not a relation of the spec")
                continue
            for prereq, v in (reqs or {}).items():
                if v != 0 and not (isinstance(v, str) and all(version_range.match(x) for x in v.split(","))):
                    bad(f"prereqs.{phase}.{relation}.{prereq}", f"{v!r} is neither 0 nor a version range")
    if "ltree" not in prereqs.get("runtime", {}).get("requires", {}):
        bad("prereqs.runtime.requires", "must name ltree (hrpolicy.control requires it)")

resources = meta.get("resources")
if resources is not None:
    if not isinstance(resources, dict) or not resources:
        bad("resources", "a non-empty object")
    else:
        for key, v in resources.items():
            if key == "homepage":
                if not uri.match(str(v)):
                    bad("resources.homepage", "a URI")
            elif key == "bugtracker":
                if not isinstance(v, dict) or not v or any(k not in ("web", "mailto") for k in v):
                    bad("resources.bugtracker", "an object with web and/or mailto")
                else:
                    if "web" in v and not uri.match(v["web"]):
                        bad("resources.bugtracker.web", "a URI")
                    if "mailto" in v and not email.match(v["mailto"]):
                        bad("resources.bugtracker.mailto", "an email address")
            elif key == "repository":
                if not isinstance(v, dict) or not v or any(k not in ("url", "web", "type") for k in v):
                    bad("resources.repository", "an object with url, web and type")
            elif not key.lower().startswith("x_"):
                bad(f"resources.{key}", "not a resource of the spec")
if "release_status" in meta and meta["release_status"] not in ("stable", "testing", "unstable"):
    bad("release_status", "one of stable, testing, unstable")
if "tags" in meta and not (isinstance(meta["tags"], list) and all(nonempty_string(t) and len(t) < 256 for t in meta["tags"])):
    bad("tags", "a list of strings shorter than 256 characters")
spec = meta.get("meta-spec", {})
if not isinstance(spec, dict) or spec.get("version") != "1.0.0":
    bad("meta-spec.version", "must be 1.0.0")

# One version: hrpolicy.control's default_version.
with open(control_path) as f:
    found = re.search(r"^default_version\s*=\s*'([^']*)'", f.read(), re.M)
control_version = found.group(1) if found else None
if not control_version:
    bad(control_path, "no default_version")
else:
    if meta.get("version") != control_version:
        bad("version", f"{meta.get('version')} differs from {control_path}'s default_version {control_version}")
    for ext, p in (provides or {}).items():
        if isinstance(p, dict) and p.get("version") != control_version:
            bad(f"provides.{ext}.version", f"{p.get('version')} differs from {control_path}'s {control_version}")
    with open(changelog_path) as f:
        first = f.readline()
    found = re.match(r"^\S+ \(([^)-]+)(-[^)]*)?\)", first)
    if not found or found.group(1) != control_version:
        bad(changelog_path, f"its first entry ({first.strip()}) is not version {control_version}")

if problems:
    print("metadata: FAILED:")
    for p in problems:
        print("  " + p)
    sys.exit(1)
print(f"metadata: META.json valid (PGXN Meta Spec 1.0.0); version {control_version} in hrpolicy.control, META.json and debian/changelog")
PY
