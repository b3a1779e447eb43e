// rport/consumer.hpp - call a loaded backend from C++: builds the sinks,
// copies what the plugin emits and returns plain status codes. Used by rportd's
// adapters and by the fake host in rport/testing.hpp; plugins do not need it.
#ifndef RPORT_CONSUMER_HPP
#define RPORT_CONSUMER_HPP

#include <rport/plugin.h>
#include <rport/types.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rport::sdk {

namespace detail {

// What every receiver of a sink keeps besides the results: the plugin's
// error text, and whether a slot had to refuse what it was handed. Slots are
// called from the plugin's C frames, so they never throw: a refusal is noted
// here and turns the call's status into an error once the plugin returns.
struct SinkState {
    static constexpr const char* kMalformed =
        "the plugin sent a string or array that has a length but no data";
    static constexpr const char* kOutOfMemory = "out of memory copying what the plugin sent";

    std::string error;
    int32_t failure = RPORT_OK;  // the first refusal: RPORT_E_INVALID or RPORT_E_INTERNAL
    const char* failureReason = nullptr;

    void fail(int32_t code, const char* reason) noexcept {
        if (failure != RPORT_OK) return;
        failure = code;
        failureReason = reason;
    }
    // Call inside a catch block around a copy: Error means a malformed input
    // (toRecord), anything else a failed allocation.
    void failFromCurrentException() noexcept {
        try {
            throw;
        } catch (const Error&) {
            fail(RPORT_E_INVALID, kMalformed);
        } catch (...) {
            fail(RPORT_E_INTERNAL, kOutOfMemory);
        }
    }
    // The error slot; a malformed message counts as empty (plugin.h).
    void appendError(rport_str message) noexcept {
        try {
            if (!error.empty()) error += "; ";
            error.append(view(message));
        } catch (...) {
            // The status still says what happened; only its words are lost.
        }
    }
};

}  // namespace detail

// Collects whatever a plugin emits during one call.
struct Collector : detail::SinkState {
    std::vector<AuthRecord> records;
    std::optional<uint64_t> total;
    std::optional<CertBundle> cert;
    size_t maxRecords = static_cast<size_t>(-1);

    rport_sink sink() noexcept {
        rport_sink s{};
        s.struct_size = sizeof s;
        s.ctx = this;
        s.record = [](void* ctx, const rport_auth_record* r) noexcept -> int32_t {
            auto* self = static_cast<Collector*>(ctx);
            if (!r) return 0;
            if (self->failure != RPORT_OK) return 1;  // the call fails anyway: stop
            try {
                self->records.push_back(detail::toRecord(*r));
            } catch (...) {
                self->failFromCurrentException();
                return 1;
            }
            return self->records.size() >= self->maxRecords ? 1 : 0;
        };
        s.total = [](void* ctx, uint64_t n) noexcept { static_cast<Collector*>(ctx)->total = n; };
        s.cert = [](void* ctx, const rport_cert_bundle* b) noexcept {
            auto* self = static_cast<Collector*>(ctx);
            if (!b) return;
            if (!isValid(b->chain_pem) || !isValid(b->key_pem)) {
                self->fail(RPORT_E_INVALID, kMalformed);
                return;
            }
            try {
                CertBundle c;
                c.chainPem = std::string(view(b->chain_pem));
                c.keyPem = SecretString(view(b->key_pem));
                if (RPORT_HAS_MEMBER(b, rport_cert_bundle, not_after)) {
                    c.notBefore = b->not_before;
                    c.notAfter = b->not_after;
                }
                self->cert = std::move(c);
            } catch (...) {
                self->failFromCurrentException();
            }
        };
        s.error = [](void* ctx, rport_str m) noexcept {
            static_cast<Collector*>(ctx)->appendError(m);
        };
        return s;
    }
};

// Outcome of one call: the status and, when not OK, the plugin's reason.
struct CallResult {
    int32_t code = RPORT_OK;
    std::string message;
    bool ok() const noexcept { return code == RPORT_OK; }
};

namespace detail {
// The result of a call: the plugin's status and reason, unless a sink had to
// refuse part of an answer the plugin called OK: then that refusal, since
// the results are incomplete.
inline CallResult finish(int32_t code, const SinkState& state) {
    if (code == RPORT_OK && state.failure != RPORT_OK) return {state.failure, state.failureReason};
    CallResult r{code, state.error};
    if (code != RPORT_OK && r.message.empty()) r.message = statusName(code);
    return r;
}

// Calls a vtable's create; returns the instance, or nullptr with why filled
// (a plugin that says OK without an instance counts as an internal error).
template <class VTable>
void* createInstance(const VTable* vtable, rport_host_ctx* ctx, CallResult& why) {
    Collector c;
    rport_sink s = c.sink();
    void* self = nullptr;
    why.code = vtable->create(ctx, &s, &self);
    why.message = c.error;
    if (why.code == RPORT_OK && self) return self;
    if (why.code == RPORT_OK) why.code = RPORT_E_INTERNAL;
    if (why.message.empty()) why.message = statusName(why.code);
    return nullptr;
}
}  // namespace detail

// One live auth backend instance: owns self and destroys it.
class AuthClient {
public:
    AuthClient(const rport_auth_v1* vtable, void* self) noexcept : _vt(vtable), _self(self) {}
    ~AuthClient() {
        if (_self) _vt->destroy(_self);
    }
    AuthClient(const AuthClient&) = delete;
    AuthClient& operator=(const AuthClient&) = delete;

    // Makes an instance; on failure returns nullptr and sets why.
    static std::unique_ptr<AuthClient> create(const rport_auth_v1* vtable, rport_host_ctx* ctx,
                                              CallResult& why) {
        void* self = detail::createInstance(vtable, ctx, why);
        return self ? std::make_unique<AuthClient>(vtable, self) : nullptr;
    }

    CallResult get(std::string_view id, std::optional<AuthRecord>& record) const {
        // Logins call this once each, so the record goes straight into the
        // caller's optional: no list of records, no extra allocation.
        struct One : detail::SinkState {
            std::optional<AuthRecord>* out = nullptr;
        } one;
        one.out = &record;
        rport_sink s{};
        s.struct_size = sizeof s;
        s.ctx = &one;
        s.record = [](void* ctx, const rport_auth_record* r) noexcept -> int32_t {
            auto* o = static_cast<One*>(ctx);
            if (!r) return 0;
            try {
                *o->out = detail::toRecord(*r);
            } catch (...) {
                o->out->reset();
                o->failFromCurrentException();
            }
            return 1;  // one is all we want
        };
        s.error = [](void* ctx, rport_str m) noexcept { static_cast<One*>(ctx)->appendError(m); };
        record.reset();
        CallResult r = detail::finish(_vt->get(_self, str(id), &s), one);
        if (!r.ok()) record.reset();
        if (r.ok() && !record) r = {RPORT_E_INTERNAL, "get returned OK without a record"};
        return r;
    }

    bool offersList() const noexcept { return RPORT_HAS(_vt, rport_auth_v1, list); }
    CallResult list(const ListQuery& query, ListPage& page) const {
        if (!offersList()) return {RPORT_E_UNSUPPORTED, "this backend cannot list"};
        Collector c;
        if (query.limit < c.maxRecords) c.maxRecords = static_cast<size_t>(query.limit);
        rport_sink s = c.sink();
        detail::QueryView q(query);
        CallResult r = detail::finish(_vt->list(_self, q.get(), &s), c);
        page.records = std::move(c.records);
        page.total = c.total ? *c.total : page.records.size();
        return r;
    }

    CallResult add(const AuthRecord& record) {
        if (!RPORT_HAS(_vt, rport_auth_v1, add)) return {RPORT_E_READ_ONLY, "this backend is read-only"};
        Collector c;
        rport_sink s = c.sink();
        detail::RecordView v(record);
        return detail::finish(_vt->add(_self, v.get(), &s), c);
    }

    CallResult remove(std::string_view id) {
        if (!RPORT_HAS(_vt, rport_auth_v1, remove)) return {RPORT_E_READ_ONLY, "this backend is read-only"};
        Collector c;
        rport_sink s = c.sink();
        return detail::finish(_vt->remove(_self, str(id), &s), c);
    }

    bool writable() const noexcept {
        return RPORT_HAS(_vt, rport_auth_v1, is_writable) && _vt->is_writable(_self) == 1;
    }

    bool offersVerify() const noexcept { return RPORT_HAS(_vt, rport_auth_v1, verify); }
    CallResult verify(std::string_view id, std::string_view secret) const {
        if (!offersVerify()) return {RPORT_E_UNSUPPORTED, "this backend does not verify secrets"};
        Collector c;
        rport_sink s = c.sink();
        return detail::finish(_vt->verify(_self, str(id), str(secret), &s), c);
    }

private:
    const rport_auth_v1* _vt;
    void* _self;
};

// One live certificate provider instance.
class CertClient {
public:
    CertClient(const rport_cert_v1* vtable, void* self) noexcept : _vt(vtable), _self(self) {}
    ~CertClient() {
        if (_self) _vt->destroy(_self);
    }
    CertClient(const CertClient&) = delete;
    CertClient& operator=(const CertClient&) = delete;

    static std::unique_ptr<CertClient> create(const rport_cert_v1* vtable, rport_host_ctx* ctx,
                                              CallResult& why) {
        void* self = detail::createInstance(vtable, ctx, why);
        return self ? std::make_unique<CertClient>(vtable, self) : nullptr;
    }

    CallResult current(std::optional<CertBundle>& bundle) const {
        bundle.reset();
        Collector c;
        rport_sink s = c.sink();
        CallResult r = detail::finish(_vt->current(_self, &s), c);
        if (!r.ok()) return r;
        bundle = std::move(c.cert);
        if (!bundle) return {RPORT_E_INTERNAL, "current returned OK without a certificate"};
        return {};
    }

    bool offersRenew() const noexcept { return RPORT_HAS(_vt, rport_cert_v1, renew_now); }
    CallResult renewNow() {
        if (!offersRenew()) return {RPORT_E_UNSUPPORTED, "this provider cannot renew on demand"};
        Collector c;
        rport_sink s = c.sink();
        CallResult r = detail::finish(_vt->renew_now(_self, &s), c);
        if (r.ok()) r.message.clear();
        return r;
    }

private:
    const rport_cert_v1* _vt;
    void* _self;
};

// Finds the backend of the given kind and name in a plugin descriptor.
inline const rport_backend_v1* findBackend(const rport_plugin_v1* plugin, std::string_view kind,
                                           std::string_view name) noexcept {
    if (!plugin || !plugin->backends) return nullptr;
    for (size_t i = 0; i < plugin->backend_count; ++i) {
        const rport_backend_v1& b = detail::element(plugin->backends, i);
        if (!RPORT_FITS(b, rport_backend_v1, vtable)) continue;
        if (b.kind && b.name && kind == b.kind && name == b.name) return &b;
    }
    return nullptr;
}

}  // namespace rport::sdk

#endif  // RPORT_CONSUMER_HPP
