// rport/testing.hpp - a fake rportd for unit-testing plugins without the server.
//
//   rport::sdk::testing::FakeHost host;
//   host.settings["path"] = "/tmp/creds.json";
//   auto plugin = host.open("./my-plugin.so");          // or host.attach(&rport_plugin_entry_v1)
//   auto store = host.createAuth(plugin, RPORT_KIND_CLIENT_AUTH, "mine");
//   std::optional<rport::sdk::AuthRecord> rec;
//   store->get("client1", rec);
//
// It implements every host service in process: logs and cert_changed calls are
// recorded, HTTP-01 tokens and TLS-ALPN-01 pairs land in maps, status reports
// are kept, timers fire only when the test says so (fireTimers), passwords are
// hashed with real bcrypt (cost 4, for speed). FakeHost(0) offers only the ABI
// 1.0 table, to test that a plugin still works in an older rportd.
// Link with RportSDK::testing (adds -lcrypt and -ldl).
#ifndef RPORT_TESTING_HPP
#define RPORT_TESTING_HPP

#include <dlfcn.h>
#include <sys/stat.h>

#include <rport/consumer.hpp>
#include <rport/password.hpp>
#include <rport/plugin.h>

#include <atomic>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace rport::sdk::testing {

// A plugin image the fake host has entered.
struct LoadedPlugin {
    const rport_plugin_v1* descriptor = nullptr;
    std::shared_ptr<void> handle;  // dlclose on last reference; empty when attached in process
};

class FakeHost {
public:
    struct LogLine {
        int32_t level;
        std::string text;
    };
    struct Timer {
        uint64_t delayMs;
        uint64_t periodMs;
        rport_timer_fn fire;
        void* arg;
    };

    // What the plugin instance sees; set before create.
    std::map<std::string, std::string> settings;
    std::string dataDir = "/tmp";
    // What state_dir() hands out; empty: <dataDir>/<backend name>, created
    // at the first call.
    std::string stateDir;
    std::string kind = RPORT_KIND_CLIENT_AUTH;
    unsigned long bcryptCost = 4;

    // abiMinor: the host version to pretend to be; 0 offers the 1.0 table only.
    explicit FakeHost(uint32_t abiMinor = RPORT_ABI_MINOR) {
        std::memset(&_api, 0, sizeof _api);
        _api.struct_size = abiMinor == 0 ? uint32_t(offsetof(rport_host_v1, tls_alpn01_publish))
                                         : uint32_t(sizeof _api);
        _api.abi_major = RPORT_ABI_MAJOR;
        _api.abi_minor = abiMinor < RPORT_ABI_MINOR ? abiMinor : RPORT_ABI_MINOR;
        _api.log = &logFn;
        _api.config_get = &configGetFn;
        _api.config_keys = &configKeysFn;
        _api.data_dir = &dataDirFn;
        _api.instance_kind = &kindFn;
        _api.secret_equal = &secretEqualFn;
        _api.password_hash = &passwordHashFn;
        _api.password_verify = &passwordVerifyFn;
        _api.cert_changed = &certChangedFn;
        _api.http01_publish = &publishFn;
        _api.http01_withdraw = &withdrawFn;
        _api.timer_start = &timerStartFn;
        _api.timer_cancel = &timerCancelFn;
        if (abiMinor >= 1) {
            _api.tls_alpn01_publish = &alpnPublishFn;
            _api.tls_alpn01_withdraw = &alpnWithdrawFn;
            _api.status_report = &statusReportFn;
            _api.state_dir = &stateDirFn;
            _api.timer_start64 = &timerStart64Fn;
        }
        _self() = this;
    }
    ~FakeHost() {
        if (_self() == this) _self() = nullptr;
    }
    FakeHost(const FakeHost&) = delete;
    FakeHost& operator=(const FakeHost&) = delete;

    const rport_host_v1* api() const noexcept { return &_api; }
    rport_host_ctx* ctx() noexcept { return reinterpret_cast<rport_host_ctx*>(this); }

    // Enters a plugin linked into the test program.
    LoadedPlugin attach(rport_plugin_entry_v1_fn entry) {
        LoadedPlugin p;
        int32_t rc = entry(&_api, &p.descriptor);
        if (rc != RPORT_OK || !p.descriptor)
            throw std::runtime_error(std::string("plugin entry failed: ") + statusName(rc));
        return p;
    }

    // Loads a plugin file the way rportd does (RTLD_NOW | RTLD_LOCAL) and enters it.
    LoadedPlugin open(const std::string& path) {
        void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!h) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        std::shared_ptr<void> handle(h, [](void* x) { ::dlclose(x); });
        auto entry = reinterpret_cast<rport_plugin_entry_v1_fn>(::dlsym(h, RPORT_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error(path + ": no " RPORT_ENTRY_SYMBOL);
        LoadedPlugin p = attach(entry);
        p.handle = std::move(handle);
        return p;
    }

    std::unique_ptr<AuthClient> createAuth(const LoadedPlugin& p, const std::string& backendKind,
                                           const std::string& name) {
        const rport_backend_v1* b = findBackend(p.descriptor, backendKind, name);
        if (!b) throw std::runtime_error("no backend " + backendKind + "/" + name);
        kind = backendKind;
        _backendName = name;
        CallResult why;
        auto client = AuthClient::create(static_cast<const rport_auth_v1*>(b->vtable), ctx(), why);
        if (!client) throw Error(why.code, "create failed: " + why.message);
        return client;
    }

    std::unique_ptr<CertClient> createCert(const LoadedPlugin& p, const std::string& name) {
        const rport_backend_v1* b = findBackend(p.descriptor, RPORT_KIND_CERT_PROVIDER, name);
        if (!b) throw std::runtime_error("no cert-provider " + name);
        kind = RPORT_KIND_CERT_PROVIDER;
        _backendName = name;
        CallResult why;
        auto client = CertClient::create(static_cast<const rport_cert_v1*>(b->vtable), ctx(), why);
        if (!client) throw Error(why.code, "create failed: " + why.message);
        return client;
    }

    // ---- what the plugin did -------------------------------------------------
    std::vector<LogLine> logs() const {
        std::lock_guard<std::mutex> g(_mutex);
        return _logs;
    }
    bool logged(const std::string& needle) const {
        for (const auto& l : logs())
            if (l.text.find(needle) != std::string::npos) return true;
        return false;
    }
    int certChangedCount() const noexcept { return _certChanged.load(); }
    std::map<std::string, std::string> http01Tokens() const {
        std::lock_guard<std::mutex> g(_mutex);
        return _tokens;
    }
    // TLS-ALPN-01 pairs published and not withdrawn: name -> {cert, key}.
    std::map<std::string, std::pair<std::string, SecretString>> tlsAlpn01() const {
        std::lock_guard<std::mutex> g(_mutex);
        return _alpn;
    }
    // Every status report, oldest first.
    std::vector<ProviderStatus> statusReports() const {
        std::lock_guard<std::mutex> g(_mutex);
        return _statuses;
    }
    std::map<uint64_t, Timer> timers() const {
        std::lock_guard<std::mutex> g(_mutex);
        return _timers;
    }
    // Fires every pending timer once, in id order; one-shot timers are removed.
    size_t fireTimers() {
        std::vector<std::pair<uint64_t, Timer>> due;
        {
            std::lock_guard<std::mutex> g(_mutex);
            due.assign(_timers.begin(), _timers.end());
            for (auto it = _timers.begin(); it != _timers.end();)
                it = it->second.periodMs == 0 ? _timers.erase(it) : std::next(it);
        }
        for (auto& [id, t] : due) t.fire(t.arg);
        return due.size();
    }

private:
    // The C services reach the host object through ctx; NULL ctx (during
    // entry) falls back to the most recently made FakeHost.
    static FakeHost*& _self() noexcept {
        static FakeHost* self = nullptr;
        return self;
    }
    static FakeHost* from(rport_host_ctx* c) noexcept {
        return c ? reinterpret_cast<FakeHost*>(c) : _self();
    }

    // Like rportd's services, none of these lets an exception out (they are
    // called from the plugin's C frames), and every string argument with a
    // length but no data is refused with RPORT_E_INVALID (plugin.h).
    static void logFn(rport_host_ctx* c, int32_t level, rport_str m) noexcept {
        try {
            FakeHost* h = from(c);
            if (!h) return;
            std::lock_guard<std::mutex> g(h->_mutex);
            h->_logs.push_back({level, std::string(view(m))});
        } catch (...) {
        }
    }
    static int32_t configGetFn(rport_host_ctx* c, rport_str key, rport_str* value) noexcept {
        if (!value || !isValid(key)) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            auto it = h->settings.find(std::string(view(key)));
            if (it == h->settings.end()) return RPORT_E_NOT_FOUND;
            *value = str(it->second);
            return RPORT_OK;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static void configKeysFn(rport_host_ctx* c, void (*each)(void*, rport_str),
                             void* arg) noexcept {
        if (!each) return;
        try {
            for (const auto& kv : from(c)->settings) each(arg, str(kv.first));
        } catch (...) {
        }
    }
    static rport_str dataDirFn(rport_host_ctx* c) noexcept { return str(from(c)->dataDir); }
    static rport_str kindFn(rport_host_ctx* c) noexcept { return str(from(c)->kind); }
    static int32_t secretEqualFn(rport_str a, rport_str b) noexcept {
        if (!isValid(a) || !isValid(b)) return 0;
        return password::constantTimeEqual(view(a), view(b)) ? 1 : 0;
    }
    static int32_t passwordHashFn(rport_str plain, char* buf, size_t cap, size_t* len) noexcept {
        if (!buf || !len || !isValid(plain)) return RPORT_E_INVALID;
        if (view(plain).find('\0') != std::string_view::npos) return RPORT_E_INVALID;
        try {
            FakeHost* h = _self();
            auto hashed = password::hashBcrypt(view(plain), h ? h->bcryptCost : 4);
            if (!hashed) return RPORT_E_INTERNAL;
            if (hashed->size() + 1 > cap) return RPORT_E_INVALID;
            std::memcpy(buf, hashed->c_str(), hashed->size() + 1);
            *len = hashed->size();
            return RPORT_OK;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static int32_t passwordVerifyFn(rport_str hash, rport_str presented) noexcept {
        if (!isValid(hash) || !isValid(presented)) return RPORT_E_INVALID;
        try {
            switch (password::verifyHash(view(hash), view(presented))) {
                case password::Verdict::Match:
                    return RPORT_OK;
                case password::Verdict::Mismatch:
                    return RPORT_E_DENIED;
                default:
                    return RPORT_E_INVALID;
            }
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static void certChangedFn(rport_host_ctx* c) noexcept { from(c)->_certChanged++; }
    static int32_t publishFn(rport_host_ctx* c, rport_str token, rport_str keyAuth) noexcept {
        if (!isValid(token) || !isValid(keyAuth)) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            h->_tokens[std::string(view(token))] = std::string(view(keyAuth));
            return RPORT_OK;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static int32_t withdrawFn(rport_host_ctx* c, rport_str token) noexcept {
        if (!isValid(token)) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            return h->_tokens.erase(std::string(view(token))) ? RPORT_OK : RPORT_E_NOT_FOUND;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static int32_t timerStartFn(rport_host_ctx* c, uint32_t delayMs, uint32_t periodMs,
                                rport_timer_fn fire, void* arg, uint64_t* id) noexcept {
        return timerStart64Fn(c, delayMs, periodMs, fire, arg, id);
    }
    static int32_t timerStart64Fn(rport_host_ctx* c, uint64_t delayMs, uint64_t periodMs,
                                  rport_timer_fn fire, void* arg, uint64_t* id) noexcept {
        if (!fire || !id) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            *id = ++h->_nextTimer;
            h->_timers[*id] = Timer{delayMs, periodMs, fire, arg};
            return RPORT_OK;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static int32_t alpnPublishFn(rport_host_ctx* c, rport_str name, rport_str cert,
                                 rport_str key) noexcept {
        if (!isValid(name) || !isValid(cert) || !isValid(key)) return RPORT_E_INVALID;
        if (name.len == 0 || cert.len == 0 || key.len == 0) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            h->_alpn[std::string(view(name))] = {std::string(view(cert)), SecretString(view(key))};
            return RPORT_OK;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static int32_t alpnWithdrawFn(rport_host_ctx* c, rport_str name) noexcept {
        if (!isValid(name)) return RPORT_E_INVALID;
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            return h->_alpn.erase(std::string(view(name))) ? RPORT_OK : RPORT_E_NOT_FOUND;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }
    static void statusReportFn(rport_host_ctx* c, const rport_provider_status* s) noexcept {
        if (!s) return;
        try {
            FakeHost* h = from(c);
            ProviderStatus copy;
            copy.name = std::string(view(s->name));
            copy.state = std::string(view(s->state));
            copy.detail = std::string(view(s->detail));
            copy.lastError = std::string(view(s->last_error));
            copy.lastErrorAt = s->last_error_at;
            copy.nextAttempt = s->next_attempt;
            copy.notAfter = s->not_after;
            std::lock_guard<std::mutex> g(h->_mutex);
            h->_statuses.push_back(std::move(copy));
        } catch (...) {
        }
    }
    static rport_str stateDirFn(rport_host_ctx* c) noexcept {
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            if (h->stateDir.empty()) h->stateDir = h->dataDir + "/" + h->_backendName;
            ::mkdir(h->stateDir.c_str(), 0700);
            return str(h->stateDir);
        } catch (...) {
            return rport_str{nullptr, 0};
        }
    }
    static int32_t timerCancelFn(rport_host_ctx* c, uint64_t id) noexcept {
        try {
            FakeHost* h = from(c);
            std::lock_guard<std::mutex> g(h->_mutex);
            return h->_timers.erase(id) ? RPORT_OK : RPORT_E_NOT_FOUND;
        } catch (...) {
            return RPORT_E_INTERNAL;
        }
    }

    rport_host_v1 _api;
    mutable std::mutex _mutex;
    std::vector<LogLine> _logs;
    std::atomic<int> _certChanged{0};
    std::map<std::string, std::string> _tokens;
    std::map<uint64_t, Timer> _timers;
    uint64_t _nextTimer = 0;
    std::map<std::string, std::pair<std::string, SecretString>> _alpn;
    std::vector<ProviderStatus> _statuses;
    std::string _backendName;
};

}  // namespace rport::sdk::testing

#endif  // RPORT_TESTING_HPP
