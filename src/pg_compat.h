/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *	  The server API where the supported PostgreSQL versions (15, 17, 18)
 *	  differ, under the names of the newest: the C sources use these and
 *	  need no version guards of their own.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_PG_COMPAT_H
#define HRPOLICY_PG_COMPAT_H

#include "postgres.h"

#include "utils/rel.h"

/* 18 replaced the pg_attribute_noreturn() suffix with a pg_noreturn prefix. */
#if PG_VERSION_NUM < 180000 && !defined(pg_noreturn)
#define pg_noreturn pg_attribute_noreturn()
#endif

/* 16 folded pg_extension_ownercheck() and its kin into object_ownercheck(). */
#if PG_VERSION_NUM >= 160000
#include "catalog/pg_extension_d.h"
#include "utils/acl.h"
#define hrp_extension_ownercheck(extension, role) \
	object_ownercheck(ExtensionRelationId, (extension), (role))
#else
#include "utils/acl.h"
#define hrp_extension_ownercheck(extension, role) \
	pg_extension_ownercheck((extension), (role))
#endif

/*
 * The relation's primary key index (InvalidOid if none), not a deferrable
 * one: 18 asks whether a deferrable one will do, before it never would.
 */
#if PG_VERSION_NUM >= 180000
#define hrp_primary_key_index(relation) RelationGetPrimaryKeyIndex((relation), false)
#else
#define hrp_primary_key_index(relation) RelationGetPrimaryKeyIndex(relation)
#endif

/* Whether a collation sorts bytewise (C or POSIX): 18 dropped lc_collate_is_c(). */
#if PG_VERSION_NUM >= 180000
#include "utils/pg_locale.h"
#define hrp_collation_is_c(collation) (pg_newlocale_from_collation(collation)->collate_is_c)
#else
#include "utils/pg_locale.h"
#define hrp_collation_is_c(collation) lc_collate_is_c(collation)
#endif

#endif							/* HRPOLICY_PG_COMPAT_H */
