/*
 * Preloaded with libasan into the server of make sanitize.  Preloading
 * libasan alone makes postgres hang before main(): the constructors of
 * libgpg-error and libp11-kit (pulled in through ldap and gnutls) call
 * bindtextdomain() and newlocale(), whose first malloc() initializes ASan
 * inside glibc's gettext or locale lock, and ASan's initialization calls
 * dlerror(), which wants that lock again.  These wrappers initialize ASan
 * first, outside the locks.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>

static void
asan_init_now(void)
{
	static int	done;

	if (!done)
	{
		void	   *volatile p;

		done = 1;
		p = malloc(1);
		free(p);
	}
}

#define REAL(name) \
	static __typeof__(name) *real; \
	asan_init_now(); \
	if (real == NULL) \
		real = (__typeof__(name) *) dlsym(RTLD_NEXT, #name)

char *bindtextdomain(const char *domain, const char *dir)
{ REAL(bindtextdomain); return real(domain, dir); }
char *bind_textdomain_codeset(const char *domain, const char *codeset)
{ REAL(bind_textdomain_codeset); return real(domain, codeset); }
char *textdomain(const char *domain)
{ REAL(textdomain); return real(domain); }
locale_t newlocale(int mask, const char *locale, locale_t base)
{ REAL(newlocale); return real(mask, locale, base); }
locale_t duplocale(locale_t l)
{ REAL(duplocale); return real(l); }
char *setlocale(int category, const char *locale)
{ REAL(setlocale); return real(category, locale); }
