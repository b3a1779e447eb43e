/* A plugin in plain C built against nothing but the frozen v1.1 plugin.h
 * (tests/abi/CMakeLists.txt keeps the SDK off its include path). It loads in
 * a host that offers 1.1 and in one that offers only 1.0, and in each uses
 * what that host has, the way plugin.h asks: RPORT_HAS before every 1.1 slot.
 *
 * client-auth/v11-plain   1.0 services only: every setting is an id, its value
 *                         the plaintext secret.
 * cert-provider/v11-probe PEM from settings "chain" and "key", for the DNS
 *                         name in "name". On create it
 *   - writes the file "probe-state" into state_dir, or into data_dir when the
 *     host has no state_dir;
 *   - publishes chain and key as the TLS-ALPN-01 challenge for the name, or,
 *     when the host lacks tls_alpn01 or refuses it (RPORT_E_UNSUPPORTED: no
 *     TLS listener), the HTTP-01 token "probe-token" instead;
 *   - with "renew_in_ms" (decimal, up to 64 bits), starts a one-shot renewal
 *     timer with timer_start64, or with timer_start capped at its 32 bits;
 *   - reports the status "valid" with status_report, or logs it.
 * The renewal timer and renew_now report "renewing" and call cert_changed;
 * renew_now also withdraws the TLS-ALPN-01 challenge. Every decision is one
 * info line in the log, which is how a test sees the 1.0 paths. */
#include <inttypes.h>
#include <rport/plugin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if RPORT_ABI_MINOR != 1
#error "this plugin must be built against the frozen v1.1 header"
#endif

static const rport_host_v1* host;

/* ---- small helpers ---------------------------------------------------------- */

static rport_str cstr(const char* s) {
    rport_str r;
    r.ptr = s;
    r.len = s ? strlen(s) : 0;
    return r;
}

static char* copy_str(rport_str s) {
    char* p = (char*)malloc(s.len + 1);
    if (!p) return NULL;
    if (s.len) memcpy(p, s.ptr, s.len);
    p[s.len] = '\0';
    return p;
}

static void fail(const rport_sink* out, const char* message) {
    if (out && RPORT_HAS(out, rport_sink, error)) out->error(out->ctx, cstr(message));
}

static void info(rport_host_ctx* ctx, const char* message) {
    host->log(ctx, RPORT_LOG_INFO, cstr(message));
}

/* The setting as a C string (freed by the caller), or NULL when absent. */
static char* setting(rport_host_ctx* ctx, const char* key) {
    rport_str value;
    if (host->config_get(ctx, cstr(key), &value) != RPORT_OK) return NULL;
    return copy_str(value);
}

/* ---- client-auth/v11-plain ---------------------------------------------------- */

static int32_t plain_create(rport_host_ctx* ctx, const rport_sink* out, void** self) {
    (void)out;
    *self = ctx; /* the context is all it needs, and it lives until destroy */
    return RPORT_OK;
}

static void plain_destroy(void* self) { (void)self; }

static int32_t plain_get(void* self, rport_str id, const rport_sink* out) {
    rport_auth_record r;
    rport_str secret;
    if (id.len == 0 || host->config_get((rport_host_ctx*)self, id, &secret) != RPORT_OK)
        return RPORT_E_NOT_FOUND;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    r.secret_kind = RPORT_SECRET_PLAIN;
    r.id = id;
    r.secret = secret;
    if (out && RPORT_HAS(out, rport_sink, record)) out->record(out->ctx, &r);
    return RPORT_OK;
}

static const rport_auth_v1 plain_vtable = {
    sizeof(rport_auth_v1), 0, plain_create, plain_destroy, plain_get, NULL, NULL, NULL, NULL, NULL};

/* ---- cert-provider/v11-probe -------------------------------------------------- */

typedef struct probe {
    rport_host_ctx* ctx;
    char *chain, *key, *name;
    char dir[1024];
    int alpn_published;
    int has_timer;
    uint64_t timer;
    uint64_t renew_in_ms;
} probe;

static void probe_free(probe* p) {
    if (p->has_timer) host->timer_cancel(p->ctx, p->timer);
    free(p->chain);
    free(p->key);
    free(p->name);
    free(p);
}

static void report(probe* p, const char* state) {
    char detail[1200];
    snprintf(detail, sizeof detail, "files in %s", p->dir);
    if (RPORT_HAS(host, rport_host_v1, status_report)) {
        rport_provider_status s;
        memset(&s, 0, sizeof s);
        s.struct_size = sizeof s;
        s.name = cstr(p->name);
        s.state = cstr(state);
        s.detail = cstr(detail);
        s.next_attempt = p->has_timer ? (int64_t)time(NULL) + (int64_t)(p->renew_in_ms / 1000) : 0;
        s.not_after = 4102444800; /* 2100-01-01 */
        host->status_report(p->ctx, &s);
    } else {
        char line[1400];
        snprintf(line, sizeof line, "status %s: %s (no status_report on this host)", state, detail);
        info(p->ctx, line);
    }
}

static void renewal_due(void* arg) {
    probe* p = (probe*)arg;
    report(p, "renewing");
    host->cert_changed(p->ctx);
}

static int choose_dir(probe* p, const rport_sink* out) {
    rport_str dir;
    if (RPORT_HAS(host, rport_host_v1, state_dir)) {
        dir = host->state_dir(p->ctx);
        if (!dir.ptr || dir.len == 0) {
            fail(out, "the host could not create the state directory");
            return 0;
        }
    } else {
        dir = host->data_dir(p->ctx);
        info(p->ctx, "no state_dir on this host: files go to data_dir");
    }
    if (dir.len >= sizeof p->dir) {
        fail(out, "directory name too long");
        return 0;
    }
    memcpy(p->dir, dir.ptr, dir.len);
    p->dir[dir.len] = '\0';
    return 1;
}

static int write_state_file(probe* p, const rport_sink* out) {
    char path[1100];
    FILE* f;
    snprintf(path, sizeof path, "%s/probe-state", p->dir);
    f = fopen(path, "w");
    if (!f || fputs("written by v11-probe\n", f) < 0) {
        if (f) fclose(f);
        fail(out, "cannot write probe-state");
        return 0;
    }
    return fclose(f) == 0;
}

static int32_t publish_challenge(probe* p, const rport_sink* out) {
    char line[600];
    if (RPORT_HAS(host, rport_host_v1, tls_alpn01_publish) &&
        RPORT_HAS(host, rport_host_v1, tls_alpn01_withdraw)) {
        int32_t rc =
            host->tls_alpn01_publish(p->ctx, cstr(p->name), cstr(p->chain), cstr(p->key));
        if (rc == RPORT_OK) {
            p->alpn_published = 1;
            snprintf(line, sizeof line, "tls-alpn-01 challenge published for %s", p->name);
            info(p->ctx, line);
            return RPORT_OK;
        }
        if (rc != RPORT_E_UNSUPPORTED) {
            fail(out, "the host refused the tls-alpn-01 challenge");
            return rc;
        }
        info(p->ctx, "tls-alpn-01 unsupported by this host's listeners: using http-01");
    } else {
        info(p->ctx, "tls-alpn-01 not offered by this host: using http-01");
    }
    return host->http01_publish(p->ctx, cstr("probe-token"), cstr("probe-token.thumbprint"));
}

static int32_t start_renewal_timer(probe* p) {
    char line[200];
    int32_t rc;
    if (RPORT_HAS(host, rport_host_v1, timer_start64)) {
        rc = host->timer_start64(p->ctx, p->renew_in_ms, 0, renewal_due, p, &p->timer);
        snprintf(line, sizeof line, "renewal timer: %" PRIu64 " ms via timer_start64", p->renew_in_ms);
    } else {
        /* A 1.0 host counts in 32 bits: wait as long as it can, then re-plan. */
        const uint32_t capped = p->renew_in_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)p->renew_in_ms;
        rc = host->timer_start(p->ctx, capped, 0, renewal_due, p, &p->timer);
        snprintf(line, sizeof line, "renewal timer: %" PRIu32 " ms via timer_start", capped);
    }
    if (rc == RPORT_OK) {
        p->has_timer = 1;
        info(p->ctx, line);
    }
    return rc;
}

static int32_t probe_create(rport_host_ctx* ctx, const rport_sink* out, void** self) {
    char line[100];
    char* renew;
    int32_t rc;
    probe* p = (probe*)calloc(1, sizeof(probe));
    if (!p) return RPORT_E_INTERNAL;
    p->ctx = ctx;
    p->chain = setting(ctx, "chain");
    p->key = setting(ctx, "key");
    p->name = setting(ctx, "name");
    if (!p->chain || !p->key || !p->name) {
        probe_free(p);
        fail(out, "settings 'chain', 'key' and 'name' are required");
        return RPORT_E_INVALID;
    }
    snprintf(line, sizeof line, "host offers ABI %" PRIu32 ".%" PRIu32, host->abi_major,
             host->abi_minor);
    info(ctx, line);

    if (!choose_dir(p, out) || !write_state_file(p, out)) {
        probe_free(p);
        return RPORT_E_UNAVAILABLE;
    }
    rc = publish_challenge(p, out);
    if (rc != RPORT_OK) {
        probe_free(p);
        return rc;
    }
    renew = setting(ctx, "renew_in_ms");
    if (renew) {
        p->renew_in_ms = strtoull(renew, NULL, 10);
        free(renew);
        rc = start_renewal_timer(p);
        if (rc != RPORT_OK) {
            probe_free(p);
            fail(out, "cannot start the renewal timer");
            return rc;
        }
    }
    report(p, "valid");
    *self = p;
    return RPORT_OK;
}

/* The host has already withdrawn the instance's challenges and cancelled its
 * timers; cancelling again is harmless. */
static void probe_destroy(void* self) { probe_free((probe*)self); }

static int32_t probe_current(void* self, const rport_sink* out) {
    probe* p = (probe*)self;
    rport_cert_bundle b;
    memset(&b, 0, sizeof b);
    b.struct_size = sizeof b;
    b.chain_pem = cstr(p->chain);
    b.key_pem = cstr(p->key);
    b.not_after = 4102444800;
    if (out && RPORT_HAS(out, rport_sink, cert)) out->cert(out->ctx, &b);
    return RPORT_OK;
}

static int32_t probe_renew_now(void* self, const rport_sink* out) {
    probe* p = (probe*)self;
    (void)out;
    if (p->alpn_published) {
        host->tls_alpn01_withdraw(p->ctx, cstr(p->name));
        p->alpn_published = 0;
    }
    renewal_due(p);
    return RPORT_OK;
}

static const rport_cert_v1 probe_vtable = {
    sizeof(rport_cert_v1), 0, probe_create, probe_destroy, probe_current, probe_renew_now};

/* ---- the descriptor ------------------------------------------------------------ */

static const rport_backend_v1 backends[] = {
    {sizeof(rport_backend_v1), 1, RPORT_KIND_CLIENT_AUTH, "v11-plain", 0, 0, &plain_vtable},
    {sizeof(rport_backend_v1), 1, RPORT_KIND_CERT_PROVIDER, "v11-probe", 0, 0, &probe_vtable},
};

static const rport_plugin_v1 descriptor = {sizeof(rport_plugin_v1),
                                           RPORT_ABI_MAJOR,
                                           RPORT_ABI_MINOR,
                                           0,
                                           "services-probe",
                                           "1.1.0",
                                           backends,
                                           sizeof backends / sizeof backends[0]};

RPORT_EXPORT int32_t rport_plugin_entry_v1(const rport_host_v1* h, const rport_plugin_v1** plugin) {
    if (!h || !plugin) return RPORT_E_INVALID;
    /* Everything it needs is in 1.0; the 1.1 services are used when offered. */
    if (h->abi_major != RPORT_ABI_MAJOR || !RPORT_HAS(h, rport_host_v1, timer_cancel))
        return RPORT_E_UNSUPPORTED;
    host = h;
    *plugin = &descriptor;
    return RPORT_OK;
}
