/*
 * config_csv.c — the CSV inventory: an RFC 4180 reader (csv_reader_*) and
 * the loader that turns its rows into sites and devices (cfg_csv_load).
 *
 * One row is one device; its site columns repeat on every row of that site
 * (rows with the same site name and kind are one site; the same name with
 * another kind is an error).  The header names the columns, in any order:
 * the seven basic ones must be there, a few optional ones may be, and
 * anything else is an error (a misspelt "comunity" column would otherwise
 * silently fall back to the default community).  Empty optional cells mean
 * "the global default".  Errors read "FILE:LINE: column 'NAME': message".
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/config_csv.h"
#include "common/config_build.h"

/* ---- the reader ------------------------------------------------------ */

struct csv_reader {
	const char *data;
	size_t len, pos;
	unsigned line;
	char *buf;                /* field text, NUL-separated */
	size_t buf_len, buf_cap;
	size_t *offs;             /* field starts in buf */
	char **fields;
	size_t n_fields, fields_cap;
	const char *error;
};

struct csv_reader *csv_reader_new(const char *data, size_t len)
{
	struct csv_reader *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->data = data;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	return r;
}

void csv_reader_free(struct csv_reader *r)
{
	if (r == NULL)
		return;
	free(r->buf);
	free(r->offs);
	free(r->fields);
	free(r);
}

const char *csv_reader_error(const struct csv_reader *r)
{
	return r->error ? r->error : "no error";
}

static int csv_putc(struct csv_reader *r, char c)
{
	if (r->buf_len == r->buf_cap) {
		size_t ncap = r->buf_cap ? r->buf_cap * 2 : 256;
		char *p = realloc(r->buf, ncap);
		if (p == NULL)
			return -ENOMEM;
		r->buf = p;
		r->buf_cap = ncap;
	}
	r->buf[r->buf_len++] = c;
	return 0;
}

static int csv_start_field(struct csv_reader *r)
{
	if (r->n_fields == r->fields_cap) {
		size_t ncap = r->fields_cap ? r->fields_cap * 2 : 32;
		size_t *o = realloc(r->offs, ncap * sizeof(*o));
		if (o == NULL)
			return -ENOMEM;
		r->offs = o;
		char **f = realloc(r->fields, (ncap + 1) * sizeof(*f));
		if (f == NULL)
			return -ENOMEM;
		r->fields = f;
		r->fields_cap = ncap;
	}
	r->offs[r->n_fields++] = r->buf_len;
	return 0;
}

/* At a line end (or the end of data): consume it. */
static int csv_eol(struct csv_reader *r)
{
	if (r->pos >= r->len)
		return 1;
	if (r->data[r->pos] == '\n') {
		r->pos++;
		r->line++;
		return 1;
	}
	if (r->data[r->pos] == '\r' && (r->pos + 1 >= r->len || r->data[r->pos + 1] == '\n')) {
		r->pos += r->pos + 1 < r->len ? 2 : 1;
		r->line++;
		return 1;
	}
	return 0;
}

static int csv_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Skip blank and comment lines; 1 when a record starts at r->pos. */
static int csv_skip_empty(struct csv_reader *r)
{
	while (r->pos < r->len) {
		size_t p = r->pos;
		while (p < r->len && csv_is_blank(r->data[p]))
			p++;
		if (p >= r->len)
			return 0;
		if (r->data[p] == '#') {
			while (p < r->len && r->data[p] != '\n')
				p++;
			r->pos = p;
			csv_eol(r);
			continue;
		}
		r->pos = p;
		if (!csv_eol(r))
			return 1;
	}
	return 0;
}

int csv_reader_next(struct csv_reader *r, char ***fields, unsigned *line)
{
	unsigned start_line;

	r->buf_len = 0;
	r->n_fields = 0;
	r->error = NULL;
	if (!csv_skip_empty(r))
		return 0;
	start_line = r->line;
	*line = start_line;
	for (;;) {
		if (csv_start_field(r) < 0)
			return -ENOMEM;
		while (r->pos < r->len && csv_is_blank(r->data[r->pos]))
			r->pos++;
		if (r->pos < r->len && r->data[r->pos] == '"') {
			unsigned qline = r->line;
			r->pos++;
			for (;;) {
				if (r->pos >= r->len) {
					r->error = "unterminated quoted field";
					*line = qline;
					return -EINVAL;
				}
				char c = r->data[r->pos];
				if (c == '"') {
					if (r->pos + 1 < r->len && r->data[r->pos + 1] == '"') {
						if (csv_putc(r, '"') < 0)
							return -ENOMEM;
						r->pos += 2;
						continue;
					}
					r->pos++;
					break;
				}
				if (c == '\n')
					r->line++;
				if (csv_putc(r, c) < 0)
					return -ENOMEM;
				r->pos++;
			}
			while (r->pos < r->len && csv_is_blank(r->data[r->pos]))
				r->pos++;
			if (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' &&
			    r->data[r->pos] != '\r') {
				r->error = "text after a closing quote (write \"\" for a quote inside quotes)";
				*line = r->line;
				return -EINVAL;
			}
		} else {
			size_t end;
			while (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' &&
			       !(r->data[r->pos] == '\r' &&
				 (r->pos + 1 >= r->len || r->data[r->pos + 1] == '\n'))) {
				if (r->data[r->pos] == '"') {
					r->error = "a quote inside an unquoted field (quote the whole field)";
					*line = r->line;
					return -EINVAL;
				}
				if (csv_putc(r, r->data[r->pos]) < 0)
					return -ENOMEM;
				r->pos++;
			}
			end = r->buf_len;
			while (end > r->offs[r->n_fields - 1] && csv_is_blank(r->buf[end - 1]))
				end--;
			r->buf_len = end;
		}
		if (csv_putc(r, '\0') < 0)
			return -ENOMEM;
		if (r->pos < r->len && r->data[r->pos] == ',') {
			r->pos++;
			continue;
		}
		csv_eol(r);
		break;
	}
	for (size_t i = 0; i < r->n_fields; i++)
		r->fields[i] = r->buf + r->offs[i];
	r->fields[r->n_fields] = NULL;
	*fields = r->fields;
	return (int)r->n_fields;
}

/* ---- the inventory --------------------------------------------------- */

enum {
	CC_SITE, CC_KIND, CC_DEVICE, CC_ADDRESS, CC_PARENT, CC_SNMP_VERSION, CC_COMMUNITY,
	CC_REQUIRED,    /* the columns above must be in the header */
	CC_LOCATION = CC_REQUIRED, CC_SNMP_USER, CC_AUTH_PROTOCOL, CC_AUTH_PASSWORD,
	CC_PRIV_PROTOCOL, CC_PRIV_PASSWORD, CC_INTERFACES, CC_TIMEOUT, CC_RETRIES, CC_COUNT
};

static const char *const csv_columns[CC_COUNT] = {
	"site", "kind", "device", "address", "parent", "snmp_version", "community",
	"location", "snmp_user", "auth_protocol", "auth_password", "priv_protocol",
	"priv_password", "interfaces", "timeout", "retries"
};

/* The inventory is read whole (cfg_read_file): 100,000 rows are a few MiB. */
static char *csv_read_file(struct cfg_build *b, const char *path, size_t *len)
{
	char *data, why[128];

	if (cfg_read_file(path, CFG_MAX_FILE, &data, len, why, sizeof(why)) < 0) {
		cfg_error(b, &b->inventory_mark, "inventory '%s': %s", path, why);
		return NULL;
	}
	return data;
}

/* Split "ge-0/0/[0-9]; ae1" (globs separated by ;) into a NULL-terminated
 * list; NULL if it holds no glob. */
static char **csv_split_globs(struct cfg_build *b, const char *text, size_t *count)
{
	size_t n = 1, i = 0;
	char **v;
	const char *p = text;

	*count = 0;
	for (const char *q = text; *q; q++)
		n += *q == ';';
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL) {
		b->enomem = 1;
		return NULL;
	}
	while (*p) {
		const char *end = strchr(p, ';');
		const char *e = end ? end : p + strlen(p);
		while (p < e && csv_is_blank(*p))
			p++;
		const char *t = e;
		while (t > p && csv_is_blank(t[-1]))
			t--;
		if (t > p && (v[i++] = strndup(p, (size_t)(t - p))) == NULL) {
			b->enomem = 1;
			break;
		}
		p = end ? end + 1 : e;
	}
	if (i == 0) {
		free(v);
		return NULL;
	}
	*count = i;
	return v;
}

struct csv_row {
	struct cfg_build *b;
	const char *file;
	const char *dir;
	unsigned line;
	char **f;
	const int *col;           /* column index of each CC_*, -1 if absent */
};

static const char *csv_get(const struct csv_row *r, int cc)
{
	return r->col[cc] >= 0 ? r->f[r->col[cc]] : "";
}

static struct cfg_mark csv_mark(const struct csv_row *r, int cc)
{
	struct cfg_mark m = { r->file, r->line, 0, csv_columns[cc] };
	return m;
}

static void csv_err(const struct csv_row *r, int cc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void csv_err(const struct csv_row *r, int cc, const char *fmt, ...)
{
	struct cfg_mark m = csv_mark(r, cc);
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(r->b, &m, fmt, ap);
	va_end(ap);
}

/* The SNMP-SETTINGS field behind each SNMP column. */
static const struct { int cc; enum cfg_snmp_field f; } csv_snmp_columns[] = {
	{ CC_SNMP_VERSION, CFG_SF_VERSION }, { CC_COMMUNITY, CFG_SF_COMMUNITY },
	{ CC_SNMP_USER, CFG_SF_USER }, { CC_AUTH_PROTOCOL, CFG_SF_AUTH_PROTO },
	{ CC_AUTH_PASSWORD, CFG_SF_AUTH_PASS }, { CC_PRIV_PROTOCOL, CFG_SF_PRIV_PROTO },
	{ CC_PRIV_PASSWORD, CFG_SF_PRIV_PASS }, { CC_TIMEOUT, CFG_SF_TIMEOUT },
	{ CC_RETRIES, CFG_SF_RETRIES },
};

/* The SNMP override columns of a row; an empty cell is "the default". */
static void csv_snmp(const struct csv_row *r, struct cfg_snmp *o)
{
	for (size_t i = 0; i < sizeof(csv_snmp_columns) / sizeof(csv_snmp_columns[0]); i++) {
		const char *t = csv_get(r, csv_snmp_columns[i].cc);
		struct cfg_mark m = csv_mark(r, csv_snmp_columns[i].cc);
		if (*t)
			cfg_snmp_set(r->b, o, csv_snmp_columns[i].f, t, &m, NULL, r->dir);
	}
}

/* The row's site: found by name (same kind) or added. -1 after an error. */
static long csv_site(const struct csv_row *r)
{
	struct cfg_build *b = r->b;
	const char *name = csv_get(r, CC_SITE), *t = csv_get(r, CC_KIND);
	const char *loc = csv_get(r, CC_LOCATION);
	enum site_kind kind;
	struct cfg_mark m = csv_mark(r, CC_SITE);
	struct site_conf *s;
	long idx;

	if (*name == '\0') {
		csv_err(r, CC_SITE, "empty site name");
		return -1;
	}
	if (cfg_parse_kind(t, &kind) < 0) {
		csv_err(r, CC_KIND, "kind must be core, opd, puskesmas, nagari, kecamatan or other, not '%s'",
			t);
		return -1;
	}
	idx = cfg_find_site(b, name);
	if (idx >= 0) {
		s = &b->conf->sites[idx];
		if (s->kind != kind) {
			csv_err(r, CC_KIND, "site '%s' is of kind %s (at %s:%u), not %s", name,
				site_kind_name(s->kind), b->site_marks[idx].file,
				b->site_marks[idx].line, site_kind_name(kind));
			return -1;
		}
		if (*loc && s->location == NULL)
			s->location = cfg_strdup(b, loc);
		else if (*loc && strcmp(loc, s->location) != 0)
			csv_err(r, CC_LOCATION, "site '%s' already has another location", name);
		return idx;
	}
	if ((s = cfg_add_site(b, &m)) == NULL)
		return -1;
	s->kind = kind;
	if (*loc)
		s->location = cfg_strdup(b, loc);
	if ((s->name = cfg_strdup(b, name)) == NULL ||
	    cfg_index_site(b, b->conf->n_sites - 1) < 0)
		return -1;
	return (long)b->conf->n_sites - 1;
}

static void csv_row(const struct csv_row *r)
{
	struct cfg_build *b = r->b;
	struct cfg_dev_info *info;
	struct device_conf *d;
	struct cfg_snmp over;
	const char *name = csv_get(r, CC_DEVICE), *t;
	long site = csv_site(r);
	unsigned before;
	uint16_t port;
	int rc;

	if (*name == '\0') {
		csv_err(r, CC_DEVICE, "empty device name");
		return;
	}
	if ((d = cfg_add_device(b, &info)) == NULL)
		return;
	d->site = site >= 0 ? (size_t)site : 0;
	d->name = cfg_strdup(b, name);
	info->name = csv_mark(r, CC_DEVICE);
	d->origin = cfg_origin(b, r->file, r->line);
	over = (struct cfg_snmp){ .s = b->conf->snmp, .set = ~0u };
	if (cfg_snmp_merge(&d->snmp, &over) < 0)
		b->enomem = 1;
	memset(&over, 0, sizeof(over));
	before = b->n_errors;
	csv_snmp(r, &over);
	if (over.set != 0 || b->n_errors != before) {
		info->has_snmp = 1;
		info->snmp_bad = b->n_errors != before;
		info->snmp = (struct cfg_mark){ r->file, r->line, 0, NULL };
		if (cfg_snmp_merge(&d->snmp, &over) < 0)
			b->enomem = 1;
	}
	cfg_snmp_settings_clear(&over.s);
	d->port = d->snmp.port ? d->snmp.port : 161;
	t = csv_get(r, CC_ADDRESS);
	rc = cfg_parse_address(t, &d->host, &port);
	if (rc == -ENOMEM)
		b->enomem = 1;
	else if (rc < 0)
		csv_err(r, CC_ADDRESS, "device '%s': invalid address '%s' (HOST, HOST:PORT or [IPv6]:PORT)",
			name, t);
	else if (port != 0) {
		d->port = port;
		info->port_from_address = 1;
	}
	if (*(t = csv_get(r, CC_PARENT))) {
		d->parent = cfg_strdup(b, t);
		info->parent = csv_mark(r, CC_PARENT);
	}
	if (*(t = csv_get(r, CC_INTERFACES)))
		d->interfaces = csv_split_globs(b, t, &d->n_interfaces);
}

/* Map header names to columns; 0, or -1 after reporting. */
static int csv_header(struct cfg_build *b, const char *file, char **f, int n, int *col)
{
	unsigned before = b->n_errors;

	for (int c = 0; c < CC_COUNT; c++)
		col[c] = -1;
	for (int i = 0; i < n; i++) {
		int c;
		for (c = 0; c < CC_COUNT && strcmp(f[i], csv_columns[c]) != 0; c++)
			;
		/* An unknown name may be anything (inventory: pointing at the
		 * wrong file quotes its first line): a short, sanitised prefix. */
		char q[CFG_QUOTE_MAX + 4];
		struct cfg_mark m = { file, 1, 0, c == CC_COUNT ? cfg_quote_prefix(q, sizeof(q), f[i])
							    : f[i] };
		if (c == CC_COUNT)
			cfg_error(b, &m, "unknown column (known: site, kind, device, address, parent, "
				  "snmp_version, community, location, snmp_user, auth_protocol, "
				  "auth_password, priv_protocol, priv_password, interfaces, timeout, "
				  "retries)");
		else if (col[c] >= 0)
			cfg_error(b, &m, "duplicate column");
		else
			col[c] = i;
	}
	for (int c = 0; c < CC_REQUIRED; c++)
		if (col[c] < 0) {
			struct cfg_mark m = { file, 1, 0, csv_columns[c] };
			cfg_error(b, &m, "missing from the header");
		}
	return b->n_errors == before ? 0 : -1;
}

int cfg_csv_load(struct cfg_build *b)
{
	const char *file = b->conf->inventory_csv;
	struct csv_reader *rd = NULL;
	char *data, *dir = NULL, **f;
	int col[CC_COUNT], n, header_n = 0, r = 0;
	unsigned line;
	size_t len;

	if ((data = csv_read_file(b, file, &len)) == NULL)
		return -EINVAL;
	if ((dir = cfg_dirname(file)) == NULL || (rd = csv_reader_new(data, len)) == NULL) {
		b->enomem = 1;
		r = -ENOMEM;
		goto out;
	}
	while (!cfg_full(b) && (n = csv_reader_next(rd, &f, &line)) != 0) {
		if (n < 0) {
			struct cfg_mark m = { file, line, 0, NULL };
			if (n == -ENOMEM)
				b->enomem = 1;
			else
				cfg_error(b, &m, "%s", csv_reader_error(rd));
			r = n;
			break;
		}
		if (header_n == 0) {
			if (csv_header(b, file, f, n, col) < 0) {
				r = -EINVAL;
				break;
			}
			header_n = n;
			line = 0;
			continue;
		}
		if (n != header_n) {
			struct cfg_mark m = { file, line, 0, NULL };
			cfg_error(b, &m, "%d field%s, but the header has %d", n, n == 1 ? "" : "s",
				  header_n);
			continue;
		}
		struct csv_row row = { b, file, dir, line, f, col };
		csv_row(&row);
	}
	if (header_n == 0 && r == 0) {
		struct cfg_mark m = { file, 1, 0, NULL };
		cfg_error(b, &m, "no header row (site,kind,device,address,parent,snmp_version,community)");
		r = -EINVAL;
	}
out:
	csv_reader_free(rd);
	free(dir);
	free(data);
	return r;
}
