/* util.c: see util.h. The integer and double formatting rules here decide
 * OBJECT ENCODING (int vs embstr), reply texts of INCRBYFLOAT and scores,
 * and what counts as "not an integer" in error replies. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

int string2ll(const char *s, size_t slen, long long *value) {
    const char *p = s;
    size_t plen = 0;
    int negative = 0;
    unsigned long long v;
    if (slen == 0 || slen > 20) return 0;
    if (slen == 1 && p[0] == '0') {
        if (value) *value = 0;
        return 1;
    }
    if (p[0] == '-') {
        negative = 1;
        p++;
        plen++;
        if (plen == slen) return 0;
    }
    if (p[0] >= '1' && p[0] <= '9') {
        v = (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    } else {
        return 0;
    }
    while (plen < slen && p[0] >= '0' && p[0] <= '9') {
        if (v > ULLONG_MAX / 10) return 0;
        v *= 10;
        if (v > ULLONG_MAX - (unsigned long long)(p[0] - '0')) return 0;
        v += (unsigned long long)(p[0] - '0');
        p++;
        plen++;
    }
    if (plen < slen) return 0;
    if (negative) {
        if (v > ((unsigned long long)(-(LLONG_MIN + 1)) + 1)) return 0;
        if (value) *value = (long long)(-v);
    } else {
        if (v > LLONG_MAX) return 0;
        if (value) *value = (long long)v;
    }
    return 1;
}

int string2ull(const char *s, unsigned long long *value) {
    long long ll;
    if (string2ll(s, strlen(s), &ll)) {
        if (ll < 0) return 0;
        *value = (unsigned long long)ll;
        return 1;
    }
    errno = 0;
    char *end = NULL;
    *value = strtoull(s, &end, 10);
    return !(errno == EINVAL || errno == ERANGE || end == NULL || *end != '\0' || s[0] == '-' || s[0] == '\0');
}

int string2l(const char *s, size_t slen, long *lval) {
    long long llval;
    if (!string2ll(s, slen, &llval)) return 0;
    if (llval < LONG_MIN || llval > LONG_MAX) return 0;
    *lval = (long)llval;
    return 1;
}

int string2d(const char *s, size_t slen, double *dp) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (slen == 0 || slen >= sizeof(buf) || isspace((unsigned char)s[0])) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    char *eptr;
    errno = 0;
    double v = strtod(buf, &eptr);
    if ((size_t)(eptr - buf) != slen || (errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || fpclassify(v) == FP_ZERO)) ||
        isnan(v))
        return 0;
    *dp = v;
    return 1;
}

int string2ld(const char *s, size_t slen, long double *dp) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (slen == 0 || slen >= sizeof(buf) || isspace((unsigned char)s[0])) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    char *eptr;
    errno = 0;
    long double v = strtold(buf, &eptr);
    if ((size_t)(eptr - buf) != slen || (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO)) ||
        isnan(v))
        return 0;
    *dp = v;
    return 1;
}

int ull2string(char *dst, size_t dstlen, unsigned long long v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if ((size_t)n >= dstlen) {
        if (dstlen) dst[0] = '\0';
        return 0;
    }
    for (int i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
    dst[n] = '\0';
    return n;
}

int ll2string(char *dst, size_t dstlen, long long svalue) {
    if (svalue >= 0) return ull2string(dst, dstlen, (unsigned long long)svalue);
    if (dstlen < 2) {
        if (dstlen) dst[0] = '\0';
        return 0;
    }
    unsigned long long v = (unsigned long long)(-(svalue + 1)) + 1;
    dst[0] = '-';
    int n = ull2string(dst + 1, dstlen - 1, v);
    return n ? n + 1 : 0;
}

int double2ll(double d, long long *out) {
    if (d < (double)(-LLONG_MAX / 2) || d > (double)(LLONG_MAX / 2)) return 0;
    long long ll = (long long)d;
    if ((double)ll != d) return 0;
    *out = ll;
    return 1;
}

/* Finds the fewest significant digits that round-trip, as a digit string
 * and a decimal exponent K (value = 0.digits... scaled so digits*10^K). */
static int shortest_digits(double v, char *digits, int *K) {
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v || prec == 17) {
            int n = 0;
            char *p = buf;
            if (*p == '-') p++;
            for (; *p && *p != 'e'; p++)
                if (isdigit((unsigned char)*p)) digits[n++] = *p;
            int e = atoi(p + 1);
            while (n > 1 && digits[n - 1] == '0') n--; /* trailing zeros carry no information */
            *K = e - (n - 1);
            return n;
        }
    }
    return 0;
}

static int emit_shortest(char *dest, double v) {
    char digits[24];
    int K, idx = 0;
    int neg = v < 0;
    if (neg) dest[idx++] = '-';
    int nd = shortest_digits(v, digits, &K);
    int exp10 = K + nd - 1; /* exponent of the leading digit */
    int aexp = exp10 < 0 ? -exp10 : exp10;
    if (K >= 0 && aexp < nd + 7) { /* plain integer */
        memcpy(dest + idx, digits, nd);
        memset(dest + idx + nd, '0', K);
        return idx + nd + K;
    }
    if (K < 0 && (K > -7 || aexp < 4)) { /* plain decimal */
        int offset = nd + K;
        if (offset <= 0) {
            dest[idx++] = '0';
            dest[idx++] = '.';
            memset(dest + idx, '0', -offset);
            idx += -offset;
            memcpy(dest + idx, digits, nd);
            return idx + nd;
        }
        memcpy(dest + idx, digits, offset);
        idx += offset;
        dest[idx++] = '.';
        memcpy(dest + idx, digits + offset, nd - offset);
        return idx + nd - offset;
    }
    dest[idx++] = digits[0];
    if (nd > 1) {
        dest[idx++] = '.';
        memcpy(dest + idx, digits + 1, nd - 1);
        idx += nd - 1;
    }
    idx += sprintf(dest + idx, "e%c%d", exp10 < 0 ? '-' : '+', aexp);
    return idx;
}

int d2string(char *buf, size_t len, double value) {
    char tmp[64];
    int n;
    long long lv;
    if (isnan(value)) n = snprintf(tmp, sizeof(tmp), "nan");
    else if (isinf(value)) n = snprintf(tmp, sizeof(tmp), value < 0 ? "-inf" : "inf");
    else if (value == 0) n = snprintf(tmp, sizeof(tmp), (1.0 / value < 0) ? "-0" : "0");
    else if (double2ll(value, &lv)) n = ll2string(tmp, sizeof(tmp), lv);
    else n = emit_shortest(tmp, value);
    if ((size_t)n >= len) n = (int)len - 1;
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}

int ld2string_human(char *buf, size_t len, long double value) {
    if (isinf(value)) {
        if (len < 5) return 0;
        return snprintf(buf, len, value > 0 ? "inf" : "-inf");
    }
    int l = snprintf(buf, len, "%.17Lf", value);
    if (l < 0 || (size_t)l + 1 > len) return 0;
    if (strchr(buf, '.')) {
        char *p = buf + l - 1;
        while (*p == '0') { p--; l--; }
        if (*p == '.') l--;
    }
    if (l == 2 && buf[0] == '-' && buf[1] == '0') { buf[0] = '0'; l = 1; }
    buf[l] = '\0';
    return l;
}

/* ---- glob matching.
 * Classic two-pointer algorithm: on a '*' remember where it was and how far
 * the string had got; on a later mismatch, let the last star swallow one
 * more byte and retry. Only the last star needs remembering because a star
 * can absorb anything an earlier one could, so the cost is bounded by
 * pattern length times string length. */
static int match_class(const char **pp, const char *pend, unsigned char c, int nocase) {
    const char *p = *pp + 1; /* after '[' */
    int negate = 0, match = 0;
    if (p < pend && *p == '^') { negate = 1; p++; }
    if (nocase) c = (unsigned char)tolower(c);
    while (p < pend && *p != ']') {
        if (*p == '\\' && p + 1 < pend) {
            p++;
            if ((unsigned char)(nocase ? tolower((unsigned char)*p) : *p) == c) match = 1;
        } else if (p + 2 < pend && p[1] == '-' && p[2] != ']') {
            int lo = (unsigned char)p[0], hi = (unsigned char)p[2];
            if (lo > hi) { int t = lo; lo = hi; hi = t; }
            if (nocase) { lo = tolower(lo); hi = tolower(hi); }
            if (c >= lo && c <= hi) match = 1;
            p += 2;
        } else if ((unsigned char)(nocase ? tolower((unsigned char)*p) : *p) == c) {
            match = 1;
        }
        p++;
    }
    if (p >= pend) p = pend - 1; /* unterminated class: Redis treats end as ']' */
    *pp = p;                     /* on the closing ']' */
    return negate ? !match : match;
}

int stringmatchlen(const char *p, size_t plen, const char *s, size_t slen, int nocase) {
    const char *pend = p + plen, *send = s + slen;
    const char *star_p = NULL, *star_s = NULL;
    while (s < send || p < pend) {
        if (p < pend) {
            const char *np = p;
            int ok = 0;
            switch (*p) {
            case '*':
                while (p + 1 < pend && p[1] == '*') p++;
                star_p = p;
                star_s = s;
                p++;
                continue;
            case '?':
                ok = s < send;
                break;
            case '[':
                ok = s < send && match_class(&np, pend, (unsigned char)*s, nocase);
                break;
            case '\\':
                if (p + 1 < pend) np = p + 1;
                /* fallthrough */
            default:
                ok = s < send && (nocase ? tolower((unsigned char)*np) == tolower((unsigned char)*s) : *np == *s);
                break;
            }
            if (ok) {
                p = np + 1;
                s++;
                continue;
            }
        }
        if (star_p && star_s < send) {
            p = star_p + 1;
            s = ++star_s;
            continue;
        }
        return 0;
    }
    return 1;
}

int stringmatch(const char *p, const char *s, int nocase) {
    return stringmatchlen(p, strlen(p), s, strlen(s), nocase);
}

unsigned long long memtoull(const char *p, int *err) {
    const char *u;
    char buf[128];
    long mul;
    if (err) *err = 0;
    u = p;
    if (*u == '-') {
        if (err) *err = 1;
        return 0;
    }
    while (*u && isdigit((unsigned char)*u)) u++;
    if (*u == '\0' || !strcasecmp(u, "b")) mul = 1;
    else if (!strcasecmp(u, "k")) mul = 1000;
    else if (!strcasecmp(u, "kb")) mul = 1024;
    else if (!strcasecmp(u, "m")) mul = 1000 * 1000;
    else if (!strcasecmp(u, "mb")) mul = 1024 * 1024;
    else if (!strcasecmp(u, "g")) mul = 1000L * 1000 * 1000;
    else if (!strcasecmp(u, "gb")) mul = 1024L * 1024 * 1024;
    else {
        if (err) *err = 1;
        return 0;
    }
    size_t copy = (size_t)(u - p);
    if (copy >= sizeof(buf) || copy == 0) {
        if (err) *err = 1;
        return 0;
    }
    memcpy(buf, p, copy);
    buf[copy] = '\0';
    char *endptr;
    errno = 0;
    unsigned long long val = strtoull(buf, &endptr, 10);
    if ((val == 0 && errno == EINVAL) || *endptr != '\0' || errno == ERANGE ||
        (mul > 1 && val > ULLONG_MAX / (unsigned long long)mul)) {
        if (err) *err = 1;
        return 0;
    }
    return val * (unsigned long long)mul;
}

long long ustime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}
long long mstime(void) { return ustime() / 1000; }
long long monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* xorshift128+ seeded from /dev/urandom: fast, not for cryptography. */
static uint64_t rng_state[2];
uint64_t random_u64(void) {
    if (!rng_state[0] && !rng_state[1]) {
        int fd = open("/dev/urandom", O_RDONLY);
        if (fd < 0 || read(fd, rng_state, sizeof(rng_state)) != sizeof(rng_state)) {
            rng_state[0] = (uint64_t)ustime() ^ 0x9e3779b97f4a7c15ULL;
            rng_state[1] = (uint64_t)getpid() * 0xbf58476d1ce4e5b9ULL + 1;
        }
        if (fd >= 0) close(fd);
    }
    uint64_t s1 = rng_state[0];
    const uint64_t s0 = rng_state[1];
    rng_state[0] = s0;
    s1 ^= s1 << 23;
    rng_state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return rng_state[1] + s0;
}

void random_bytes(unsigned char *p, size_t len) {
    int fd = open("/dev/urandom", O_RDONLY);
    size_t got = 0;
    if (fd >= 0) {
        ssize_t n;
        while (got < len && (n = read(fd, p + got, len - got)) > 0) got += (size_t)n;
        close(fd);
    }
    for (; got < len; got++) p[got] = (unsigned char)random_u64();
}

void random_hex(char *p, size_t len) {
    static const char *hex = "0123456789abcdef";
    random_bytes((unsigned char *)p, len);
    for (size_t j = 0; j < len; j++) p[j] = hex[p[j] & 0x0F];
}

int yesnotoi(const char *s) {
    if (!strcasecmp(s, "yes")) return 1;
    if (!strcasecmp(s, "no")) return 0;
    return -1;
}
