/* version.h - which build this is: `git describe --always --dirty` at build
 * time, or the VERSION file's default outside a git checkout (a release
 * tarball, a Debian source package).  The Makefile writes the definition
 * into build/gen/version.c and rewrites it only when the text changes. */
#ifndef ZC_VERSION_H
#define ZC_VERSION_H

extern const char zc_version[]; /* e.g. "3214c58-dirty" or "0.16.0" (static) */

#endif
