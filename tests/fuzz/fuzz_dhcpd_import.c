/* SPDX-License-Identifier: MIT */
/* libFuzzer: bytes as a dnsmasq configuration through the whole import:
 * lexer, reader (includes reported, never opened), model, writer.
 * Invariants (abort on violation):
 *   - every line kept has a name and at most DNSM_FIELDS_MAX fields, each
 *     inside the line's own buffer;
 *   - the written text holds no NUL and every [boot] section header is
 *     followed by its "# FILE:LINE" source comment. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/dnsmasq_build.h"
#include "import/dnsmasq_model.h"
#include "import/dnsmasq_read.h"
#include "import/dnsmasq_write.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ctx, const struct dnsm_where *at, enum dnsm_level lv, const char *msg)
{
	(void)ctx;
	(void)at;
	(void)lv;
	(void)msg;
}

static void check_lines(const struct dnsm_conf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct dnsm_line *l = c->lines[i];
		if (!l->name[0] || l->nfields > DNSM_FIELDS_MAX)
			abort();
		for (int f = 0; f < l->nfields; f++)
			if (l->fields[f] < l->buf || l->fields[f] >= l->buf + sizeof(l->buf))
				abort();
	}
}

static void check_output(const char *out, size_t len)
{
	if (strlen(out) != len)
		abort();
	for (const char *p = out; (p = strstr(p, "\n[boot "));) {
		p = strchr(p + 1, '\n');
		if (!p || strncmp(p, "\n# ", 3))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1); /* the reader takes NUL-terminated text */
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct dnsm_conf c;
	dnsm_conf_init(&c, quiet, NULL);
	c.no_fs = true;
	if (dnsm_read_text(&c, "fuzz.conf", text, size) == 0) {
		check_lines(&c);
		struct dnsm_model *m = dnsm_model_build(&c);
		char *out = NULL;
		size_t len = 0;
		FILE *f = m ? open_memstream(&out, &len) : NULL;
		if (f) {
			dnsm_write(m, f);
			fclose(f);
			check_output(out, len);
		}
		free(out);
		dnsm_model_free(m);
	}
	dnsm_conf_free(&c);
	free(text);
	return 0;
}
