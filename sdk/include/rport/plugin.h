/* SPDX-License-Identifier: MIT */
/*
 * rport/plugin.h - the binary interface between rportd and its plugins (ABI v1).
 *
 * This header is the whole contract. A plugin includes it (or the C++ helpers
 * built on it), exports one function, rport_plugin_entry_v1, and links nothing
 * from rportd. Everything else flows through the tables declared below.
 *
 * ABI changelog (append a dated line for every minor bump; never edit old ones)
 *   1.0  2026-11-22  First stable version: host services, auth and cert vtables.
 *   1.1  2026-12-02  Host services for certificate providers that obtain
 *                    certificates themselves: tls_alpn01_publish/withdraw,
 *                    status_report (rport_provider_status), state_dir,
 *                    timer_start64.
 *
 * Rules that keep old plugins loading in new hosts and new plugins in old hosts
 *   - C only: fixed-width integers, {ptr,len} strings, opaque handles, function
 *     pointers. No enum storage (enums vary with compiler flags): constants are
 *     #defines and travel as int32_t/uint32_t.
 *   - Every struct starts with struct_size and only ever grows at its end.
 *     A reader checks RPORT_HAS(p, member) before touching a member, so a
 *     shorter struct from an older peer reads as "slot not offered".
 *   - Arrays of such structs (rport_plugin_v1.backends,
 *     rport_list_query.conditions) are walked with the first element's
 *     struct_size as the stride, never with the reader's sizeof, so an array
 *     written by a newer or older peer still lines up. All elements of one
 *     array have the same struct_size.
 *   - A NULL function pointer means "not offered". Only create, destroy and
 *     get (auth) or current (cert) are required.
 *   - The entry symbol's name carries the major version. A v2 host may still
 *     look for rport_plugin_entry_v1; a v1 host never calls a changed signature.
 *
 * Ownership (normative)
 *   1. Inputs (strings, records, queries) are borrowed for the duration of the
 *      call. Copy whatever you keep.
 *   2. Results travel out through an rport_sink: the receiver copies the data
 *      before the sink function returns, so the caller may free or wipe its
 *      buffers right after. Nobody ever frees memory the other side allocated.
 *   3. A backend instance (void *self) is made by create and released only by
 *      destroy. destroy must cancel its timers and join its threads first.
 *   4. The host table and the rport_host_ctx stay valid from create to destroy.
 *      Configuration never changes in place: a reload is destroy + create.
 *
 * Threading
 *   - Every host service may be called from any thread, including the plugin's
 *     own threads and timer callbacks.
 *   - A backend flagged RPORT_BACKEND_THREADSAFE may be called concurrently;
 *     otherwise the host serialises all calls to one instance.
 *   - Do not hold a lock of your own while calling a host service that can
 *     call you back (cert_changed calls current()).
 *   - No C++ exception may cross this boundary; the C++ helpers catch them.
 */
#ifndef RPORT_PLUGIN_H
#define RPORT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RPORT_ABI_MAJOR 1
#define RPORT_ABI_MINOR 1

#if defined(_WIN32)
#define RPORT_EXPORT __declspec(dllexport)
#else
#define RPORT_EXPORT __attribute__((visibility("default")))
#endif

/* True when the struct p is long enough to contain member m (and m is set, for
 * pointers). Use it for every member added after 1.0. */
#define RPORT_HAS_MEMBER(p, type, m) \
    ((p) != NULL && (p)->struct_size >= offsetof(type, m) + sizeof(((type *)0)->m))
#define RPORT_HAS(p, type, m) (RPORT_HAS_MEMBER(p, type, m) && (p)->m != NULL)

/* ---- status codes (int32_t) ------------------------------------------------ */
#define RPORT_OK 0
#define RPORT_E_NOT_FOUND 1   /* no such id; the host may try elsewhere      */
#define RPORT_E_EXISTS 2      /* add: the id is already there                 */
#define RPORT_E_READ_ONLY 3   /* the store refuses writes                     */
#define RPORT_E_INVALID 4     /* bad input or bad settings                    */
#define RPORT_E_UNAVAILABLE 5 /* backend down (database, network); retryable  */
#define RPORT_E_DENIED 6      /* verify: the secret does not match            */
#define RPORT_E_UNSUPPORTED 7 /* operation or ABI version not offered         */
#define RPORT_E_INTERNAL 8    /* anything else; details went to sink->error    */

/* ---- log levels (int32_t) --------------------------------------------------- */
#define RPORT_LOG_ERROR 1
#define RPORT_LOG_WARNING 2
#define RPORT_LOG_INFO 3
#define RPORT_LOG_DEBUG 4

/* ---- plain data --------------------------------------------------------------- */

/* UTF-8 text, not NUL-terminated. {NULL, 0} is the empty string.
 * {NULL, n} with n > 0 is malformed, and neither side ever reads through it
 * (nor through a NULL array with a nonzero count):
 *   - a call or service that returns a status refuses it: RPORT_E_INVALID
 *     (for a record or query: the whole record or query);
 *   - a sink slot refuses the record or bundle that holds one, and the call
 *     it belongs to then fails with RPORT_E_INVALID;
 *   - where nothing can be refused it reads as empty: log and error text,
 *     status_report texts; secret_equal answers 0 (not equal);
 *   - as a service's answer (config_get, config_keys, data_dir,
 *     instance_kind) it is an error of the host: the C++ Host throws
 *     Error(RPORT_E_INVALID); a state_dir answer with a NULL ptr means "no
 *     directory" whatever its len. */
typedef struct rport_str {
    const char *ptr;
    size_t len;
} rport_str;

typedef struct rport_kv {
    rport_str key;
    rport_str value;
} rport_kv;

/* How the secret of a record is to be read (uint32_t). */
#define RPORT_SECRET_AUTO 0     /* bcrypt when it starts with $2y$/$2b$/$2a$, else plaintext */
#define RPORT_SECRET_PLAIN 1    /* plaintext, even if it looks like a hash      */
#define RPORT_SECRET_HASHED 2   /* a crypt(3) hash                              */
#define RPORT_SECRET_WITHHELD 3 /* the store never reveals it; use verify()     */

/* A credential: a client-auth entry or an API user. */
typedef struct rport_auth_record {
    uint32_t struct_size;
    uint32_t secret_kind; /* RPORT_SECRET_* */
    rport_str id;
    rport_str secret;
    const rport_str *groups; /* API users: e.g. "Administrators" */
    size_t group_count;
    const rport_kv *attributes; /* free-form extras, e.g. "password_expired" */
    size_t attribute_count;
} rport_auth_record;

/* How the patterns of one id match combine (uint32_t). */
#define RPORT_MATCH_ANY 0 /* at least one pattern matches (OR) */
#define RPORT_MATCH_ALL 1 /* every pattern matches (AND)       */

/* One id condition: patterns compare case-insensitively with the whole id; '*'
 * stands for any run of characters, everything else is literal. */
typedef struct rport_id_match {
    uint32_t struct_size;
    uint32_t mode; /* RPORT_MATCH_* */
    const rport_str *patterns;
    size_t pattern_count;
} rport_id_match;

/* A page of a listing. Conditions are AND-ed; none means "all". Results are
 * sorted by id (byte order); total counts every match before paging. */
typedef struct rport_list_query {
    uint32_t struct_size;
    uint32_t reserved;
    const rport_id_match *conditions; /* stride: conditions[0].struct_size */
    size_t condition_count;
    uint64_t offset;
    uint64_t limit;
} rport_list_query;

/* A certificate and its key, both PEM. chain_pem holds the leaf first, then
 * intermediates. Times are Unix seconds. */
typedef struct rport_cert_bundle {
    uint32_t struct_size;
    uint32_t reserved;
    rport_str chain_pem;
    rport_str key_pem;
    int64_t not_before;
    int64_t not_after;
} rport_cert_bundle;

/* What a certificate provider is doing about one name, for /status and the
 * log (1.1). The host copies it during status_report. Times are Unix seconds,
 * 0 meaning "none". */
typedef struct rport_provider_status {
    uint32_t struct_size;
    uint32_t reserved;
    rport_str name;       /* the DNS name the certificate is for */
    rport_str state;      /* one word: "issuing", "valid", "renewing", "retrying", "failed" */
    rport_str detail;     /* what it is doing now, in plain words; may be empty */
    rport_str last_error; /* why the last attempt failed, and what to do; empty after a success */
    int64_t last_error_at;
    int64_t next_attempt; /* the planned renewal, or the next retry */
    int64_t not_after;    /* of the certificate in force */
} rport_provider_status;

/* Where results go. The caller fills only the slots the call can produce; the
 * callee checks a slot before using it. All slots copy what they receive. */
typedef struct rport_sink {
    uint32_t struct_size;
    uint32_t reserved;
    void *ctx; /* the caller's; pass it back unchanged */
    /* One record. Return nonzero to ask the callee to stop emitting. */
    int32_t (*record)(void *ctx, const rport_auth_record *record);
    /* list(): the number of matches before paging. */
    void (*total)(void *ctx, uint64_t count);
    /* cert-provider current(): the certificate in force. */
    void (*cert)(void *ctx, const rport_cert_bundle *bundle);
    /* A human-readable reason to go with a non-OK status. */
    void (*error)(void *ctx, rport_str message);
} rport_sink;

/* ---- services the host offers -------------------------------------------------- */

/* One per backend instance; opaque to the plugin. NULL where a service allows
 * it means "the plugin as a whole" (during entry). */
typedef struct rport_host_ctx rport_host_ctx;

typedef void (*rport_timer_fn)(void *arg);

typedef struct rport_host_v1 {
    uint32_t struct_size;
    uint32_t abi_major; /* RPORT_ABI_MAJOR of the host */
    uint32_t abi_minor; /* RPORT_ABI_MINOR of the host */
    uint32_t reserved;

    /* A finished line of text; the host adds time, level and the plugin name. */
    void (*log)(rport_host_ctx *ctx, int32_t level, rport_str message);

    /* The instance's own settings (its [plugin.NAME] table, or what the classic
     * rportd.conf keys imply). Values are text: numbers and booleans as
     * written in TOML, arrays joined with ','. The value stays valid until
     * destroy. RPORT_OK or RPORT_E_NOT_FOUND. */
    int32_t (*config_get)(rport_host_ctx *ctx, rport_str key, rport_str *value);
    /* Calls each(arg, key) for every setting of the instance. */
    void (*config_keys)(rport_host_ctx *ctx, void (*each)(void *arg, rport_str key), void *arg);
    /* [server] data_dir; valid until destroy. */
    rport_str (*data_dir)(rport_host_ctx *ctx);
    /* The kind this instance was created for: "client-auth", "api-auth", ... */
    rport_str (*instance_kind)(rport_host_ctx *ctx);

    /* 1 when equal. Time depends only on the lengths. */
    int32_t (*secret_equal)(rport_str a, rport_str b);
    /* bcrypt ($2b$) hash of password into buf (NUL-terminated, at most cap
     * bytes, 128 is enough); *len gets the length without the NUL. */
    int32_t (*password_hash)(rport_str password, char *buf, size_t cap, size_t *len);
    /* RPORT_OK when presented matches the crypt(3) hash, RPORT_E_DENIED when
     * it does not, RPORT_E_INVALID when hash is not a supported hash. */
    int32_t (*password_verify)(rport_str hash, rport_str presented);

    /* A cert-provider has a new certificate; the host calls current() again
     * (possibly from inside this call) and swaps it in for new handshakes. */
    void (*cert_changed)(rport_host_ctx *ctx);
    /* ACME HTTP-01: serve key_authorization at
     * /.well-known/acme-challenge/<token> until withdrawn. */
    int32_t (*http01_publish)(rport_host_ctx *ctx, rport_str token, rport_str key_authorization);
    int32_t (*http01_withdraw)(rport_host_ctx *ctx, rport_str token);

    /* Calls fire(arg) on a host thread after delay_ms, then every period_ms
     * (0 = once). *id identifies it for timer_cancel. */
    int32_t (*timer_start)(rport_host_ctx *ctx, uint32_t delay_ms, uint32_t period_ms,
                           rport_timer_fn fire, void *arg, uint64_t *id);
    /* After this returns the callback is not running and will not run again,
     * unless called from inside that callback. */
    int32_t (*timer_cancel)(rport_host_ctx *ctx, uint64_t id);

    /* ---- 1.1 ---- check each with RPORT_HAS before use ---------------------- */

    /* ACME TLS-ALPN-01 (RFC 8737): until withdrawn, a TLS handshake whose
     * server name is `name` and that offers the ALPN protocol "acme-tls/1" is
     * answered with this certificate (PEM; it carries the acmeIdentifier
     * extension) and key, then closed. RPORT_E_INVALID when the name or the
     * pair is malformed, RPORT_E_UNSUPPORTED when no TLS listener of the host
     * can answer it. Publishing a name again replaces its pair. */
    int32_t (*tls_alpn01_publish)(rport_host_ctx *ctx, rport_str name, rport_str cert_pem,
                                  rport_str key_pem);
    int32_t (*tls_alpn01_withdraw)(rport_host_ctx *ctx, rport_str name);

    /* Reports the provider's state for one name; the latest report per name
     * is what /status shows. Copied before it returns. */
    void (*status_report)(rport_host_ctx *ctx, const rport_provider_status *status);

    /* A directory for the backend's own files: <data_dir>/<backend name>,
     * created by the host (mode 0700) at the first call. Every instance of
     * the same backend gets the same directory, so instances (and several
     * rportd sharing a data_dir) coordinate through file locks. {NULL, 0}
     * when it cannot be created; the reason went to the log. Valid until
     * destroy. */
    rport_str (*state_dir)(rport_host_ctx *ctx);

    /* timer_start with 64-bit delays: certificates live longer than the
     * 49.7 days a uint32_t of milliseconds can say. Same guarantees. */
    int32_t (*timer_start64)(rport_host_ctx *ctx, uint64_t delay_ms, uint64_t period_ms,
                             rport_timer_fn fire, void *arg, uint64_t *id);
} rport_host_v1;

/* ---- what plugins offer ------------------------------------------------------------ */

/* Backend kinds (NUL-terminated strings in rport_backend_v1.kind). */
#define RPORT_KIND_CLIENT_AUTH "client-auth"
#define RPORT_KIND_API_AUTH "api-auth"
#define RPORT_KIND_CERT_PROVIDER "cert-provider"

/* Credential store, for kinds client-auth and api-auth (vtable_version 1). */
typedef struct rport_auth_v1 {
    uint32_t struct_size;
    uint32_t reserved;
    /* Required. Read settings through the host, set *self. On failure return
     * non-OK and explain through out->error. */
    int32_t (*create)(rport_host_ctx *ctx, const rport_sink *out, void **self);
    /* Required. */
    void (*destroy)(void *self);
    /* Required. Emits the record through out->record, or RPORT_E_NOT_FOUND. */
    int32_t (*get)(void *self, rport_str id, const rport_sink *out);
    /* Emits at most query->limit records from query->offset, then calls
     * out->total with the count of all matches. */
    int32_t (*list)(void *self, const rport_list_query *query, const rport_sink *out);
    /* RPORT_E_EXISTS when the id is taken, RPORT_E_READ_ONLY when refused. */
    int32_t (*add)(void *self, const rport_auth_record *record, const rport_sink *out);
    /* RPORT_E_NOT_FOUND when there is no such id. */
    int32_t (*remove)(void *self, rport_str id, const rport_sink *out);
    /* 1 when add/remove may succeed. */
    int32_t (*is_writable)(void *self);
    /* For stores that cannot hand out secrets: RPORT_OK, RPORT_E_DENIED or
     * RPORT_E_NOT_FOUND. The host uses it instead of get + compare. */
    int32_t (*verify)(void *self, rport_str id, rport_str secret, const rport_sink *out);
} rport_auth_v1;

/* TLS certificate provider, kind cert-provider (vtable_version 1). */
typedef struct rport_cert_v1 {
    uint32_t struct_size;
    uint32_t reserved;
    int32_t (*create)(rport_host_ctx *ctx, const rport_sink *out, void **self); /* required */
    void (*destroy)(void *self);                                              /* required */
    /* Required. Fast and non-blocking: emits the cached certificate through
     * out->cert, or RPORT_E_UNAVAILABLE while there is none yet. */
    int32_t (*current)(void *self, const rport_sink *out);
    /* Start a renewal now (asynchronous); report it through cert_changed. */
    int32_t (*renew_now)(void *self, const rport_sink *out);
} rport_cert_v1;

/* Backend flags (uint32_t). */
#define RPORT_BACKEND_THREADSAFE 0x1u /* calls may run concurrently */

typedef struct rport_backend_v1 {
    uint32_t struct_size;
    uint32_t vtable_version; /* 1 for rport_auth_v1 / rport_cert_v1 */
    const char *kind;        /* RPORT_KIND_*, NUL-terminated, static */
    const char *name;        /* what rportd.conf selects, NUL-terminated, static */
    uint32_t flags;          /* RPORT_BACKEND_* */
    uint32_t reserved;
    const void *vtable; /* const rport_auth_v1 * or const rport_cert_v1 * */
} rport_backend_v1;

typedef struct rport_plugin_v1 {
    uint32_t struct_size;
    uint32_t abi_major; /* the RPORT_ABI_MAJOR the plugin was built with */
    uint32_t abi_minor; /* the RPORT_ABI_MINOR the plugin was built with */
    uint32_t reserved;
    const char *name;    /* NUL-terminated, static */
    const char *version; /* the plugin's own version, NUL-terminated, static */
    const rport_backend_v1 *backends; /* stride: backends[0].struct_size */
    size_t backend_count;
} rport_plugin_v1;

/* The one exported symbol. Keep host (valid until the plugin is unloaded);
 * return RPORT_E_UNSUPPORTED when the host is too old for what you need
 * (check host->abi_minor or RPORT_HAS). *plugin must stay valid until unload. */
#define RPORT_ENTRY_SYMBOL "rport_plugin_entry_v1"
typedef int32_t (*rport_plugin_entry_v1_fn)(const rport_host_v1 *host,
                                            const rport_plugin_v1 **plugin);

#ifdef __cplusplus
}
#endif

#endif /* RPORT_PLUGIN_H */
