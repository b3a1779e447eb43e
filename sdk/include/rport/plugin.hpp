// rport/plugin.hpp - write an rportd plugin as one C++ class plus one macro.
//
//   class MyStore : public rport::sdk::AuthStore {
//   public:
//       explicit MyStore(rport::sdk::Host host) : _host(host) { ... read settings ... }
//       std::optional<rport::sdk::AuthRecord> get(std::string_view id) override;
//       ...
//   };
//   RPORT_PLUGIN("my-plugin", "1.0.0",
//                rport::sdk::authBackend<MyStore>(RPORT_KIND_CLIENT_AUTH, "mine"));
//
// Everything here is compiled into the plugin. The host sees only the C tables
// of rport/plugin.h, so the plugin may use any compiler, standard library or
// C++ dialect from C++17 on. Exceptions thrown by your code are caught at the
// boundary: rport::sdk::Error(code, msg) returns that code, any other exception
// returns RPORT_E_INTERNAL; the message reaches the host's log either way.
#ifndef RPORT_PLUGIN_HPP
#define RPORT_PLUGIN_HPP

#include <rport/plugin.h>
#include <rport/types.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rport::sdk {

// The host's services, bound to one backend instance. Cheap to copy.
class Host {
public:
    Host(const rport_host_v1* api, rport_host_ctx* ctx) noexcept : _api(api), _ctx(ctx) {}

    const rport_host_v1* api() const noexcept { return _api; }
    rport_host_ctx* ctx() const noexcept { return _ctx; }
    uint32_t abiMinor() const noexcept { return _api->abi_minor; }

    void log(int32_t level, std::string_view message) const { _api->log(_ctx, level, str(message)); }
    void error(std::string_view m) const { log(RPORT_LOG_ERROR, m); }
    void warning(std::string_view m) const { log(RPORT_LOG_WARNING, m); }
    void info(std::string_view m) const { log(RPORT_LOG_INFO, m); }
    void debug(std::string_view m) const { log(RPORT_LOG_DEBUG, m); }

    std::optional<std::string> setting(std::string_view key) const {
        rport_str value{nullptr, 0};
        if (_api->config_get(_ctx, str(key), &value) != RPORT_OK) return std::nullopt;
        return std::string(checkedView(value, "the host's value of a setting"));
    }
    // The setting, or an RPORT_E_INVALID error naming it.
    std::string requireSetting(std::string_view key) const {
        auto v = setting(key);
        if (!v) throw Error(RPORT_E_INVALID, "missing setting '" + std::string(key) + "'");
        return *v;
    }
    // A boolean setting ("true"/"false", "1"/"0"), or fallback when absent.
    bool flag(std::string_view key, bool fallback) const {
        auto v = setting(key);
        if (!v) return fallback;
        if (*v == "true" || *v == "1") return true;
        if (*v == "false" || *v == "0") return false;
        throw Error(RPORT_E_INVALID, "setting '" + std::string(key) + "' must be true or false, got \"" + *v + "\"");
    }
    std::vector<std::string> settingKeys() const {
        // The callback runs inside the host's config_keys: nothing may be
        // thrown from it, so a failure is kept and thrown once the host
        // has returned.
        struct Keys {
            std::vector<std::string> names;
            int32_t failure = RPORT_OK;
        } keys;
        _api->config_keys(
            _ctx,
            [](void* arg, rport_str key) noexcept {
                auto* k = static_cast<Keys*>(arg);
                if (k->failure != RPORT_OK) return;
                if (!isValid(key)) {
                    k->failure = RPORT_E_INVALID;
                    return;
                }
                try {
                    k->names.emplace_back(view(key));
                } catch (...) {
                    k->failure = RPORT_E_INTERNAL;
                }
            },
            &keys);
        if (keys.failure == RPORT_E_INVALID)
            throw Error(RPORT_E_INVALID,
                        "the host listed a setting name that has a length but no data");
        if (keys.failure != RPORT_OK)
            throw Error(keys.failure, "out of memory listing the settings");
        return std::move(keys.names);
    }
    std::string dataDir() const {
        return std::string(checkedView(_api->data_dir(_ctx), "the host's data_dir"));
    }
    std::string kind() const {
        return std::string(checkedView(_api->instance_kind(_ctx), "the host's instance_kind"));
    }

    bool secretEqual(std::string_view a, std::string_view b) const {
        return _api->secret_equal(str(a), str(b)) == 1;
    }
    std::string hashPassword(std::string_view password) const {
        char buf[128];
        size_t len = 0;
        int32_t rc = _api->password_hash(str(password), buf, sizeof buf, &len);
        if (rc != RPORT_OK) throw Error(rc, "password hashing failed");
        return std::string(buf, len);
    }
    // True on a match; throws RPORT_E_INVALID when hash is not a supported hash.
    bool verifyPassword(std::string_view hash, std::string_view presented) const {
        int32_t rc = _api->password_verify(str(hash), str(presented));
        if (rc == RPORT_OK) return true;
        if (rc == RPORT_E_DENIED) return false;
        throw Error(rc, "unsupported password hash");
    }

    void certChanged() const { _api->cert_changed(_ctx); }
    void publishHttp01(std::string_view token, std::string_view keyAuthorization) const {
        int32_t rc = _api->http01_publish(_ctx, str(token), str(keyAuthorization));
        if (rc != RPORT_OK) throw Error(rc, "cannot publish HTTP-01 token");
    }
    void withdrawHttp01(std::string_view token) const { _api->http01_withdraw(_ctx, str(token)); }

    // fire(arg) runs on a host thread; cancel before the object behind arg dies.
    uint64_t startTimer(uint32_t delayMs, uint32_t periodMs, rport_timer_fn fire, void* arg) const {
        uint64_t id = 0;
        int32_t rc = _api->timer_start(_ctx, delayMs, periodMs, fire, arg, &id);
        if (rc != RPORT_OK) throw Error(rc, "cannot start timer");
        return id;
    }
    void cancelTimer(uint64_t id) const { _api->timer_cancel(_ctx, id); }

    // ---- ABI 1.1 services: check offers...() first on a host that may be older.

    bool offersTlsAlpn01() const noexcept {
        return RPORT_HAS(_api, rport_host_v1, tls_alpn01_publish) &&
               RPORT_HAS(_api, rport_host_v1, tls_alpn01_withdraw);
    }
    bool offersStatusReport() const noexcept { return RPORT_HAS(_api, rport_host_v1, status_report); }
    bool offersStateDir() const noexcept { return RPORT_HAS(_api, rport_host_v1, state_dir); }
    bool offersLongTimers() const noexcept { return RPORT_HAS(_api, rport_host_v1, timer_start64); }

    void publishTlsAlpn01(std::string_view name, std::string_view certPem, std::string_view keyPem) const {
        if (!offersTlsAlpn01()) throw Error(RPORT_E_UNSUPPORTED, "the host cannot answer TLS-ALPN-01 (ABI 1.1)");
        int32_t rc = _api->tls_alpn01_publish(_ctx, str(name), str(certPem), str(keyPem));
        if (rc != RPORT_OK) throw Error(rc, "cannot publish the TLS-ALPN-01 certificate");
    }
    void withdrawTlsAlpn01(std::string_view name) const {
        if (offersTlsAlpn01()) _api->tls_alpn01_withdraw(_ctx, str(name));
    }
    // Does nothing on a host without status reports.
    void reportStatus(const ProviderStatus& s) const {
        if (!offersStatusReport()) return;
        rport_provider_status c{};
        c.struct_size = sizeof c;
        c.name = str(s.name);
        c.state = str(s.state);
        c.detail = str(s.detail);
        c.last_error = str(s.lastError);
        c.last_error_at = s.lastErrorAt;
        c.next_attempt = s.nextAttempt;
        c.not_after = s.notAfter;
        _api->status_report(_ctx, &c);
    }
    // The backend's own directory, created by the host; throws when the host
    // has none to offer or could not create it.
    std::string stateDir() const {
        if (!offersStateDir()) throw Error(RPORT_E_UNSUPPORTED, "the host offers no state directory (ABI 1.1)");
        rport_str dir = _api->state_dir(_ctx);
        // {NULL, n} is malformed; like {NULL, 0} it gives no directory.
        if (dir.ptr == nullptr || dir.len == 0)
            throw Error(RPORT_E_UNAVAILABLE, "the host could not create the state directory (see the log)");
        return std::string(view(dir));
    }
    // Like startTimer, with delays past 49 days; on a 1.0 host, delays are
    // capped at the longest a 1.0 timer can wait (the callback then re-plans).
    uint64_t startLongTimer(uint64_t delayMs, uint64_t periodMs, rport_timer_fn fire, void* arg) const {
        if (!offersLongTimers()) {
            const uint64_t cap = 0xFFFFFFFFu;
            return startTimer(static_cast<uint32_t>(delayMs < cap ? delayMs : cap),
                              static_cast<uint32_t>(periodMs < cap ? periodMs : cap), fire, arg);
        }
        uint64_t id = 0;
        int32_t rc = _api->timer_start64(_ctx, delayMs, periodMs, fire, arg, &id);
        if (rc != RPORT_OK) throw Error(rc, "cannot start timer");
        return id;
    }

private:
    const rport_host_v1* _api;
    rport_host_ctx* _ctx;
};

// Base of credential stores (client-auth and api-auth backends). Only get() is
// required; the defaults describe a read-only store without listing.
class AuthStore {
public:
    // Set to true in a store that overrides verify(); the host then asks the
    // store to check secrets instead of reading them with get().
    static constexpr bool kOffersVerify = false;

    virtual ~AuthStore() = default;
    virtual std::optional<AuthRecord> get(std::string_view id) = 0;
    virtual ListPage list(const ListQuery& /*query*/) {
        throw Error(RPORT_E_UNSUPPORTED, "this store cannot list its entries");
    }
    // Throw Error(RPORT_E_EXISTS, ...) for a duplicate id.
    virtual void add(const AuthRecord& /*record*/) {
        throw Error(RPORT_E_READ_ONLY, "this store is read-only");
    }
    // Throw Error(RPORT_E_NOT_FOUND, ...) for an unknown id.
    virtual void remove(std::string_view /*id*/) {
        throw Error(RPORT_E_READ_ONLY, "this store is read-only");
    }
    virtual bool writable() const { return false; }
    // RPORT_OK, RPORT_E_DENIED or RPORT_E_NOT_FOUND.
    virtual int32_t verify(std::string_view /*id*/, std::string_view /*secret*/) {
        return RPORT_E_UNSUPPORTED;
    }
};

// Base of TLS certificate providers.
class CertProvider {
public:
    virtual ~CertProvider() = default;
    // Fast: return the cached certificate, or throw Error(RPORT_E_UNAVAILABLE).
    virtual CertBundle current() = 0;
    virtual void renewNow() { throw Error(RPORT_E_UNSUPPORTED, "this provider cannot renew on demand"); }
};

namespace detail {

// The host table handed to the entry point; one per plugin image.
inline const rport_host_v1*& hostApi() noexcept {
    static const rport_host_v1* api = nullptr;
    return api;
}

inline void reportError(const rport_sink* out, std::string_view message) noexcept {
    if (out && RPORT_HAS(out, rport_sink, error)) out->error(out->ctx, str(message));
}

// Runs f, turning every exception into a status code plus a message.
template <class F>
int32_t guarded(const rport_sink* out, F&& f) noexcept {
    try {
        return f();
    } catch (const Error& e) {
        reportError(out, e.what());
        return e.code();
    } catch (const std::exception& e) {
        reportError(out, e.what());
        return RPORT_E_INTERNAL;
    } catch (...) {
        reportError(out, "unknown exception in plugin");
        return RPORT_E_INTERNAL;
    }
}

// Returns true when the receiver asked to stop.
inline bool emitRecord(const rport_sink* out, const AuthRecord& record) {
    if (!out || !RPORT_HAS(out, rport_sink, record)) return true;
    RecordView v(record);
    return out->record(out->ctx, v.get()) != 0;
}

template <class T>
struct AuthTrampolines {
    static int32_t create(rport_host_ctx* ctx, const rport_sink* out, void** self) noexcept {
        return guarded(out, [&] {
            *self = new T(Host(hostApi(), ctx));
            return RPORT_OK;
        });
    }
    static void destroy(void* self) noexcept {
        try {
            delete static_cast<T*>(self);
        } catch (...) {
        }
    }
    static int32_t get(void* self, rport_str id, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            auto rec = static_cast<T*>(self)->get(checkedView(id, "the id"));
            if (!rec) return RPORT_E_NOT_FOUND;
            emitRecord(out, *rec);
            return RPORT_OK;
        });
    }
    static int32_t list(void* self, const rport_list_query* query, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            ListPage page = static_cast<T*>(self)->list(query ? toQuery(*query) : ListQuery{});
            for (const auto& rec : page.records)
                if (emitRecord(out, rec)) break;
            if (out && RPORT_HAS(out, rport_sink, total)) out->total(out->ctx, page.total);
            return RPORT_OK;
        });
    }
    static int32_t add(void* self, const rport_auth_record* record, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            if (!record) throw Error(RPORT_E_INVALID, "no record");
            static_cast<T*>(self)->add(toRecord(*record));
            return RPORT_OK;
        });
    }
    static int32_t remove(void* self, rport_str id, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            static_cast<T*>(self)->remove(checkedView(id, "the id"));
            return RPORT_OK;
        });
    }
    static int32_t isWritable(void* self) noexcept {
        try {
            return static_cast<T*>(self)->writable() ? 1 : 0;
        } catch (...) {
            return 0;
        }
    }
    static int32_t verify(void* self, rport_str id, rport_str secret, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            return static_cast<T*>(self)->verify(checkedView(id, "the id"),
                                                 checkedView(secret, "the secret"));
        });
    }

    static inline const rport_auth_v1 table = {
        sizeof(rport_auth_v1), 0,      &create, &destroy, &get, &list, &add, &remove, &isWritable,
        T::kOffersVerify ? &verify : nullptr,
    };
};

template <class T>
struct CertTrampolines {
    static int32_t create(rport_host_ctx* ctx, const rport_sink* out, void** self) noexcept {
        return guarded(out, [&] {
            *self = new T(Host(hostApi(), ctx));
            return RPORT_OK;
        });
    }
    static void destroy(void* self) noexcept {
        try {
            delete static_cast<T*>(self);
        } catch (...) {
        }
    }
    static int32_t current(void* self, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            CertBundle b = static_cast<T*>(self)->current();
            rport_cert_bundle c{};
            c.struct_size = sizeof c;
            c.chain_pem = str(b.chainPem);
            c.key_pem = str(b.keyPem);
            c.not_before = b.notBefore;
            c.not_after = b.notAfter;
            if (out && RPORT_HAS(out, rport_sink, cert)) out->cert(out->ctx, &c);
            return RPORT_OK;
        });
    }
    static int32_t renewNow(void* self, const rport_sink* out) noexcept {
        return guarded(out, [&] {
            static_cast<T*>(self)->renewNow();
            return RPORT_OK;
        });
    }
    static inline const rport_cert_v1 table = {sizeof(rport_cert_v1), 0, &create, &destroy, &current,
                                               &renewNow};
};

// The part of rport_plugin_entry_v1 that does not depend on the plugin.
inline int32_t enter(const rport_host_v1* host, const rport_plugin_v1** plugin,
                     const rport_plugin_v1* descriptor) noexcept {
    if (!host || !plugin) return RPORT_E_INVALID;
    // This wrapper calls every 1.0 service, so it needs at least a 1.0 table.
    if (host->abi_major != RPORT_ABI_MAJOR || !RPORT_HAS(host, rport_host_v1, timer_cancel))
        return RPORT_E_UNSUPPORTED;
    hostApi() = host;
    *plugin = descriptor;
    return RPORT_OK;
}

}  // namespace detail

// Describes a credential store T (derived from AuthStore, constructible from
// Host) for the RPORT_PLUGIN list. kind: RPORT_KIND_CLIENT_AUTH or _API_AUTH.
template <class T>
constexpr rport_backend_v1 authBackend(const char* kind, const char* name, uint32_t flags = 0) noexcept {
    return rport_backend_v1{sizeof(rport_backend_v1), 1, kind, name, flags, 0,
                            &detail::AuthTrampolines<T>::table};
}

// Describes a certificate provider T (derived from CertProvider).
template <class T>
constexpr rport_backend_v1 certBackend(const char* name, uint32_t flags = 0) noexcept {
    return rport_backend_v1{sizeof(rport_backend_v1), 1, RPORT_KIND_CERT_PROVIDER, name, flags, 0,
                            &detail::CertTrampolines<T>::table};
}

}  // namespace rport::sdk

// Defines the plugin's one exported symbol. Use once per plugin, at namespace
// scope: RPORT_PLUGIN("name", "version", backend, backend...).
#define RPORT_PLUGIN(NAME, VERSION, ...)                                                   \
    extern "C" RPORT_EXPORT int32_t rport_plugin_entry_v1(const rport_host_v1* host,       \
                                                          const rport_plugin_v1** plugin) { \
        static const rport_backend_v1 backends[] = {__VA_ARGS__};                          \
        static const rport_plugin_v1 descriptor = {                                        \
            sizeof(rport_plugin_v1), RPORT_ABI_MAJOR, RPORT_ABI_MINOR, 0, NAME, VERSION,   \
            backends, sizeof(backends) / sizeof(backends[0])};                             \
        return ::rport::sdk::detail::enter(host, plugin, &descriptor);                     \
    }

#endif  // RPORT_PLUGIN_HPP
