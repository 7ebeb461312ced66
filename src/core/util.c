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

/* strtod needs a terminated string; s may not be one, so it is copied (to
 * the heap when long: Redis puts no limit on the length of a double). */
int string2d(const char *s, size_t slen, double *dp) {
    char stackbuf[MAX_LONG_DOUBLE_CHARS];
    if (slen == 0 || isspace((unsigned char)s[0])) return 0;
    char *buf = slen < sizeof(stackbuf) ? stackbuf : malloc(slen + 1);
    if (!buf) return 0;
    memcpy(buf, s, slen);
    buf[slen] = '\0';
    char *eptr;
    errno = 0;
    double v = strtod(buf, &eptr);
    int ok = (size_t)(eptr - buf) == slen &&
             !(errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL || fpclassify(v) == FP_ZERO)) && !isnan(v);
    if (buf != stackbuf) free(buf);
    if (ok) *dp = v;
    return ok;
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
    /* Written so NaN fails the test too: casting it would be undefined. */
    if (!(d >= (double)(-LLONG_MAX / 2) && d <= (double)(LLONG_MAX / 2))) return 0;
    long long ll = (long long)d;
    if ((double)ll != d) return 0;
    *out = ll;
    return 1;
}

/* ---- doubles as Redis 7.2 prints them.
 * Redis formats non-integral doubles with fpconv, an implementation of
 * Florian Loitsch's Grisu2 ("Printing Floating-Point Numbers Quickly and
 * Accurately with Integers", PLDI 2010). Grisu2 always reads back to the
 * same double but is not always the shortest or closest text: about one
 * double in four hundred gets 17 digits where 16 would do, or a last digit
 * one off ("1677449298865390.7" where printf's shortest gives ".8"). Replies
 * must match Redis byte for byte, so this is an independent implementation
 * of the same algorithm with the same parameters, which yields the same
 * digits:
 *   - v and its rounding boundaries m- and m+ (halfway to the neighbouring
 *     doubles; m- is twice as close when the significand is a power of two)
 *     are scaled by a cached power of ten c chosen so that the product's
 *     binary exponent lies in [-60, -32];
 *   - the digits of m+ (shrunk by one unit) are generated until the rest is
 *     within the interval (m+ - m-, widened by one unit each side);
 *   - the last digit is lowered while that moves the result closer to v.
 * The layout rules (plain integer, plain decimal, or d.ddde+X) are fpconv's
 * too; see emit_double(). */

typedef struct {
    uint64_t f; /* significand */
    int e;      /* binary exponent: the value is f * 2^e */
} diyfp;

/* 10^k for k = -348, -340, ..., 340: the significand rounded to nearest,
 * normalized so its top bit is set. */
#define POW10_FIRST (-348)
#define POW10_STEP 8
static const diyfp pow10_cache[87] = {
    {0xfa8fd5a0081c0288ULL, -1220}, {0xbaaee17fa23ebf76ULL, -1193}, {0x8b16fb203055ac76ULL, -1166},
    {0xcf42894a5dce35eaULL, -1140}, {0x9a6bb0aa55653b2dULL, -1113}, {0xe61acf033d1a45dfULL, -1087},
    {0xab70fe17c79ac6caULL, -1060}, {0xff77b1fcbebcdc4fULL, -1034}, {0xbe5691ef416bd60cULL, -1007},
    {0x8dd01fad907ffc3cULL, -980}, {0xd3515c2831559a83ULL, -954}, {0x9d71ac8fada6c9b5ULL, -927},
    {0xea9c227723ee8bcbULL, -901}, {0xaecc49914078536dULL, -874}, {0x823c12795db6ce57ULL, -847},
    {0xc21094364dfb5637ULL, -821}, {0x9096ea6f3848984fULL, -794}, {0xd77485cb25823ac7ULL, -768},
    {0xa086cfcd97bf97f4ULL, -741}, {0xef340a98172aace5ULL, -715}, {0xb23867fb2a35b28eULL, -688},
    {0x84c8d4dfd2c63f3bULL, -661}, {0xc5dd44271ad3cdbaULL, -635}, {0x936b9fcebb25c996ULL, -608},
    {0xdbac6c247d62a584ULL, -582}, {0xa3ab66580d5fdaf6ULL, -555}, {0xf3e2f893dec3f126ULL, -529},
    {0xb5b5ada8aaff80b8ULL, -502}, {0x87625f056c7c4a8bULL, -475}, {0xc9bcff6034c13053ULL, -449},
    {0x964e858c91ba2655ULL, -422}, {0xdff9772470297ebdULL, -396}, {0xa6dfbd9fb8e5b88fULL, -369},
    {0xf8a95fcf88747d94ULL, -343}, {0xb94470938fa89bcfULL, -316}, {0x8a08f0f8bf0f156bULL, -289},
    {0xcdb02555653131b6ULL, -263}, {0x993fe2c6d07b7facULL, -236}, {0xe45c10c42a2b3b06ULL, -210},
    {0xaa242499697392d3ULL, -183}, {0xfd87b5f28300ca0eULL, -157}, {0xbce5086492111aebULL, -130},
    {0x8cbccc096f5088ccULL, -103}, {0xd1b71758e219652cULL, -77}, {0x9c40000000000000ULL, -50},
    {0xe8d4a51000000000ULL, -24}, {0xad78ebc5ac620000ULL, 3}, {0x813f3978f8940984ULL, 30},
    {0xc097ce7bc90715b3ULL, 56}, {0x8f7e32ce7bea5c70ULL, 83}, {0xd5d238a4abe98068ULL, 109},
    {0x9f4f2726179a2245ULL, 136}, {0xed63a231d4c4fb27ULL, 162}, {0xb0de65388cc8ada8ULL, 189},
    {0x83c7088e1aab65dbULL, 216}, {0xc45d1df942711d9aULL, 242}, {0x924d692ca61be758ULL, 269},
    {0xda01ee641a708deaULL, 295}, {0xa26da3999aef774aULL, 322}, {0xf209787bb47d6b85ULL, 348},
    {0xb454e4a179dd1877ULL, 375}, {0x865b86925b9bc5c2ULL, 402}, {0xc83553c5c8965d3dULL, 428},
    {0x952ab45cfa97a0b3ULL, 455}, {0xde469fbd99a05fe3ULL, 481}, {0xa59bc234db398c25ULL, 508},
    {0xf6c69a72a3989f5cULL, 534}, {0xb7dcbf5354e9beceULL, 561}, {0x88fcf317f22241e2ULL, 588},
    {0xcc20ce9bd35c78a5ULL, 614}, {0x98165af37b2153dfULL, 641}, {0xe2a0b5dc971f303aULL, 667},
    {0xa8d9d1535ce3b396ULL, 694}, {0xfb9b7cd9a4a7443cULL, 720}, {0xbb764c4ca7a44410ULL, 747},
    {0x8bab8eefb6409c1aULL, 774}, {0xd01fef10a657842cULL, 800}, {0x9b10a4e5e9913129ULL, 827},
    {0xe7109bfba19c0c9dULL, 853}, {0xac2820d9623bf429ULL, 880}, {0x80444b5e7aa7cf85ULL, 907},
    {0xbf21e44003acdd2dULL, 933}, {0x8e679c2f5e44ff8fULL, 960}, {0xd433179d9c8cb841ULL, 986},
    {0x9e19db92b4e31ba9ULL, 1013}, {0xeb96bf6ebadf77d9ULL, 1039}, {0xaf87023b9bf0ee6bULL, 1066},
};

/* The upper 64 bits of a.f * b.f, rounded half up. */
static diyfp diy_mul(diyfp a, diyfp b) {
    unsigned __int128 p = (unsigned __int128)a.f * b.f + ((unsigned __int128)1 << 63);
    return (diyfp){(uint64_t)(p >> 64), a.e + b.e + 64};
}

static diyfp diy_normalize(diyfp x) {
    int s = __builtin_clzll(x.f);
    return (diyfp){x.f << s, x.e - s};
}

/* The cached power c with e + c.e + 64 in [-60, -32]. Sometimes two powers
 * qualify; starting from fpconv's estimate and walking the same way picks
 * the one Redis picks. Stores the decimal exponent of c in *k. */
static diyfp cached_pow10(int e, int *k) {
    int approx = (int)(-(e + 87) * 0.30102999566398114);
    int idx = (approx - POW10_FIRST) / POW10_STEP;
    for (;;) {
        int scaled = e + pow10_cache[idx].e + 64;
        if (scaled < -60) idx++;
        else if (scaled > -32) idx--;
        else break;
    }
    *k = POW10_FIRST + idx * POW10_STEP;
    return pow10_cache[idx];
}

/* Lowers the last digit while the candidate stays inside the interval
 * (rest stays below delta) and gets closer to v, which lies wdist below the
 * upper boundary. unit is the weight of the last digit, in the same scale. */
static void round_down_towards(char *digits, int n, uint64_t delta, uint64_t rest, uint64_t unit, uint64_t wdist) {
    while (rest < wdist && delta - rest >= unit && (rest + unit < wdist || wdist - rest > rest + unit - wdist)) {
        digits[n - 1]--;
        rest += unit;
    }
}

/* Writes the Grisu2 digits of v (finite, > 0) and returns their count; the
 * value is digits * 10^*K. */
static int grisu2(double v, char *digits, int *K) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof(bits));
    const uint64_t hidden = 1ULL << 52;
    uint64_t frac = bits & (hidden - 1);
    int bexp = (int)((bits >> 52) & 0x7ff);
    diyfp w = bexp ? (diyfp){frac | hidden, bexp - 1075} : (diyfp){frac, -1074};

    diyfp hi = diy_normalize((diyfp){(w.f << 1) + 1, w.e - 1});
    int lshift = w.f == hidden ? 2 : 1;
    diyfp lo = {((w.f << lshift) - 1) << ((w.e - lshift) - hi.e), hi.e};
    w = diy_normalize(w);

    int k;
    diyfp c = cached_pow10(hi.e, &k);
    w = diy_mul(w, c);
    hi = diy_mul(hi, c);
    lo = diy_mul(lo, c);
    lo.f++; /* the products may be one unit off: keep strictly inside */
    hi.f--;
    *K = -k;

    uint64_t wdist = hi.f - w.f, delta = hi.f - lo.f;
    int shift = -hi.e;
    uint64_t one = 1ULL << shift;
    uint64_t integral = hi.f >> shift, fraction = hi.f & (one - 1);
    int n = 0, kappa = 10;

    /* The integral part is below 2^32: at most ten digits. */
    for (uint64_t div = 1000000000; kappa > 0; div /= 10) {
        uint64_t d = integral / div;
        if (d || n) digits[n++] = (char)('0' + d);
        integral -= d * div;
        kappa--;
        uint64_t rest = (integral << shift) + fraction;
        if (rest <= delta) {
            *K += kappa;
            round_down_towards(digits, n, delta, rest, div << shift, wdist);
            return n;
        }
    }
    /* Fractional digits, until the rest drops below the (scaled) delta. */
    for (uint64_t unit = 10;; unit *= 10) {
        fraction *= 10;
        delta *= 10;
        kappa--;
        uint64_t d = fraction >> shift;
        if (d || n) digits[n++] = (char)('0' + d);
        fraction &= one - 1;
        if (fraction < delta) {
            *K += kappa;
            round_down_towards(digits, n, delta, fraction, one, wdist * unit);
            return n;
        }
    }
}

/* Lays out v (finite, non-zero) as fpconv does: digits and zeros when the
 * value is integral and not too long, a plain decimal when the exponent is
 * small, otherwise d.ddd followed by e+X / e-X (no padding of X). */
static int emit_double(char *dest, double v) {
    char digits[24];
    int K, idx = 0, neg = signbit(v) != 0;
    if (neg) dest[idx++] = '-';
    int nd = grisu2(fabs(v), digits, &K);
    int aexp = abs(K + nd - 1); /* magnitude of the leading digit's exponent */
    if (K >= 0 && aexp < nd + 7) {
        memcpy(dest + idx, digits, (size_t)nd);
        memset(dest + idx + nd, '0', (size_t)K);
        return idx + nd + K;
    }
    if (K < 0 && (K > -7 || aexp < 4)) {
        int intdigits = nd + K;
        if (intdigits <= 0) {
            dest[idx++] = '0';
            dest[idx++] = '.';
            memset(dest + idx, '0', (size_t)-intdigits);
            idx += -intdigits;
            memcpy(dest + idx, digits, (size_t)nd);
            return idx + nd;
        }
        memcpy(dest + idx, digits, (size_t)intdigits);
        idx += intdigits;
        dest[idx++] = '.';
        memcpy(dest + idx, digits + intdigits, (size_t)(nd - intdigits));
        return idx + nd - intdigits;
    }
    if (nd > 18 - neg) nd = 18 - neg; /* fpconv's 24-byte budget */
    dest[idx++] = digits[0];
    if (nd > 1) {
        dest[idx++] = '.';
        memcpy(dest + idx, digits + 1, (size_t)(nd - 1));
        idx += nd - 1;
    }
    dest[idx++] = 'e';
    dest[idx++] = K + nd - 1 < 0 ? '-' : '+';
    idx += sprintf(dest + idx, "%d", aexp);
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
    else n = emit_double(tmp, value);
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
    if (isnan(value)) { /* libc may print "-nan": Redis always says "nan" */
        if (len < 4) return 0;
        return snprintf(buf, len, "nan");
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
 * pattern length times string length (Redis recurses per star instead and
 * prunes; the matches are the same).
 *
 * Quirks kept from Redis 7.2's stringmatchlen, because KEYS, SCAN MATCH,
 * PSUBSCRIBE and ACL patterns must select exactly what Redis selects:
 *   - an empty string matches only the empty pattern (even "*" fails);
 *   - inside [...], "\x" matches x case-sensitively even with nocase;
 *   - "x-y" is a range whenever two more pattern bytes follow the 'x', even
 *     if the 'y' is ']' ("[a-]" is the range ']'..'a' and the class goes
 *     on), and bytes compare as signed chars there (unsigned with nocase);
 *   - an unterminated class ends at the end of the pattern. */
/* tolower() of a char as Redis calls it: glibc maps a negative (signed)
 * char as the byte it is, so with nocase a range compares unsigned bytes
 * while without nocase it compares signed ones. */
static int lower_char(int c) { return tolower((unsigned char)c); }

/* Matches the class starting at *pp (on the '[') against c; leaves *pp on
 * the class's last byte (its ']' or the pattern's end). */
static int match_class(const char **pp, const char *pend, char c, int nocase) {
    const char *p = *pp + 1; /* after '[' */
    int negate = 0, match = 0;
    if (p < pend && *p == '^') {
        negate = 1;
        p++;
    }
    while (p < pend && *p != ']') {
        if (*p == '\\' && p + 1 < pend) {
            p++;
            if (*p == c) match = 1;
        } else if (p + 2 < pend && p[1] == '-') {
            int lo = (signed char)p[0], hi = (signed char)p[2], sc = (signed char)c;
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            if (nocase) {
                lo = lower_char(lo);
                hi = lower_char(hi);
                sc = lower_char(sc);
            }
            if (sc >= lo && sc <= hi) match = 1;
            p += 2;
        } else if (nocase ? lower_char((signed char)*p) == lower_char((signed char)c) : *p == c) {
            match = 1;
        }
        p++;
    }
    if (p >= pend) p = pend - 1; /* unterminated: the class ends with the pattern */
    *pp = p;
    return negate ? !match : match;
}

int stringmatchlen(const char *p, size_t plen, const char *s, size_t slen, int nocase) {
    if (slen == 0) return plen == 0;
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
                ok = s < send && match_class(&np, pend, *s, nocase);
                break;
            case '\\':
                if (p + 1 < pend) np = p + 1;
                /* fallthrough */
            default:
                ok = s < send && (nocase ? lower_char((signed char)*np) == lower_char((signed char)*s) : *np == *s);
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
    /* As in Redis, no digits at all ("", "kb") reads as 0 and a number
     * beyond 64 bits reads as ULLONG_MAX without an error. Where Redis lets
     * value*unit wrap around, this saturates at ULLONG_MAX too. */
    size_t copy = (size_t)(u - p);
    if (copy >= sizeof(buf)) {
        if (err) *err = 1;
        return 0;
    }
    memcpy(buf, p, copy);
    buf[copy] = '\0';
    char *endptr;
    errno = 0;
    unsigned long long val = strtoull(buf, &endptr, 10);
    if ((val == 0 && errno == EINVAL) || *endptr != '\0') {
        if (err) *err = 1;
        return 0;
    }
    if (val > ULLONG_MAX / (unsigned long long)mul) return ULLONG_MAX;
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

void debug_delay(int usec, unsigned long *calls) {
    if (usec > 0) {
        usleep((useconds_t)usec);
    } else if (usec < 0 && ++*calls % (unsigned long)(-(long)usec) == 0) {
        usleep(1);
    }
}

int yesnotoi(const char *s) {
    if (!strcasecmp(s, "yes")) return 1;
    if (!strcasecmp(s, "no")) return 0;
    return -1;
}
