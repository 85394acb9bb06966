/*-------------------------------------------------------------------------
 *
 * hrpolicy.h
 *	  Definitions shared by the C sources of hrpolicy.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HRPOLICY_H
#define HRPOLICY_H

#include "postgres.h"

#include "fmgr.h"

/*
 * Input functions report bad text as soft errors on PostgreSQL 16 and later
 * (so that pg_input_is_valid works) and as plain errors before that.
 * Usage: HRP_INPUT_ERROR(fcinfo->context, errcode(...), errmsg(...), ...);
 * it returns from the calling function.
 */
#if PG_VERSION_NUM >= 160000
#include "nodes/miscnodes.h"
#define HRP_INPUT_ERROR(escontext, ...) \
	ereturn((escontext), (Datum) 0, __VA_ARGS__)
#else
#define HRP_INPUT_ERROR(escontext, ...) \
	do { \
		(void) (escontext); \
		ereport(ERROR, __VA_ARGS__); \
		pg_unreachable(); \
	} while (0)
#endif

/* The version byte that starts every binary send format of hrpolicy. */
#define HRPOLICY_BINARY_VERSION 1

#endif							/* HRPOLICY_H */
