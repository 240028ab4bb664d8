/* SPDX-License-Identifier: MIT */
/* The dnsmasq line lexer: see dnsmasq_lex.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dnsmasq_lex.h"

static int lex_err(char *err, size_t cap, const char *file, int line, const char *what)
{
	snprintf(err, cap, "%s:%d: %s", file, line, what);
	return -1;
}

/* An escape inside quotes, as dnsmasq's read_file() knows them. */
static char unescape(char c)
{
	switch (c) {
	case 't': return '\t';
	case 'n': return '\n';
	case 'r': return '\r';
	case 'e': return 27;
	case 'b': return '\b';
	default: return c; /* \\ \" and anything else stand for themselves */
	}
}

/* Copy text to out without its comment, its quotes and their escapes;
 * commas outside quotes become '\0' field separators, recorded in seps. */
static int strip(const char *t, size_t len, char *out, bool *sep, const char **why)
{
	bool quoted = false;
	size_t o = 0;
	for (size_t i = 0; i < len && t[i] && t[i] != '\n'; i++) {
		char c = t[i];
		if (o + 1 >= DNSM_LINE_MAX)
			return (*why = "line too long", -1);
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && c == '\\' && i + 1 < len && t[i + 1]) {
			sep[o] = false;
			out[o++] = unescape(t[++i]);
			continue;
		}
		if (!quoted && c == '#' && (i == 0 || isspace((unsigned char)t[i - 1])))
			break; /* a comment: at the start or after blank space */
		if (!quoted && c == '\r')
			continue;
		sep[o] = !quoted && c == ',';
		out[o++] = c;
	}
	if (quoted)
		return (*why = "unterminated quote", -1);
	out[o] = 0;
	return (int)o;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* Split at the unquoted commas sep marks, trimming each field. */
static int split(struct dnsm_line *out, char *value, const bool *sep, const char **why)
{
	out->nfields = 0;
	char *start = value;
	for (char *p = value;; p++) {
		bool end = !*p;
		if (!end && !sep[p - out->buf])
			continue;
		if (out->nfields == DNSM_FIELDS_MAX)
			return (*why = "too many comma-separated fields", -1);
		*p = 0;
		out->fields[out->nfields++] = trim(start);
		if (end)
			return 0;
		start = p + 1;
	}
}

static bool valid_name(const char *n)
{
	if (!*n)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '-' && *n != '_')
			return false;
	return true;
}

int dnsm_lex(const char *text, size_t len, const char *file, int line, struct dnsm_line *out,
	     char *err, size_t errcap)
{
	bool sep[DNSM_LINE_MAX];
	const char *why = NULL;
	memset(out, 0, sizeof(*out));
	snprintf(out->at.file, sizeof(out->at.file), "%s", file);
	out->at.line = line;
	int n = strip(text, len, out->buf, sep, &why);
	if (n < 0)
		return lex_err(err, errcap, file, line, why);
	char *s = out->buf;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	if (s[0] == '-' && s[1] == '-') /* the command-line form, --dhcp-boot=... */
		s += 2;
	char *eq = s;
	while (*eq && *eq != '=' && !isspace((unsigned char)*eq))
		eq++;
	char *value = eq;
	if (*eq) {
		char *v = eq;
		while (isspace((unsigned char)*v))
			v++;
		out->has_value = *v != 0;
		value = *v == '=' ? v + 1 : v;
		*eq = 0;
	}
	if (strlen(s) >= sizeof(out->name) || !valid_name(s))
		return lex_err(err, errcap, file, line, "expected an option name");
	snprintf(out->name, sizeof(out->name), "%s", s);
	if (split(out, value, sep, &why) < 0)
		return lex_err(err, errcap, file, line, why);
	size_t tl = strnlen(text, len);
	const char *nl = memchr(text, '\n', tl);
	snprintf(out->text, sizeof(out->text), "%.*s", (int)(nl ? (size_t)(nl - text) : tl), text);
	char *t = trim(out->text);
	memmove(out->text, t, strlen(t) + 1);
	return 1;
}

size_t dnsm_tag_prefix(const char *field, const char *prefix)
{
	size_t n = strlen(prefix);
	return strncmp(field, prefix, n) == 0 && field[n] == ':' ? n + 1 : 0;
}
