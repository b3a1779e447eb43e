#include "plugin_host/HostServices.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <rport/password.hpp>
#include <rport/types.hpp>

#include "plugin_host/PluginAttribution.h"

// Every function in this file is called by plugins through C function
// pointers, so none may let an exception escape: each is noexcept and
// catches what it calls may throw. A string argument with a length but no
// data ({NULL, n > 0}) is never read: it fails the call with RPORT_E_INVALID
// where there is a status to return, and reads as empty elsewhere (plugin.h).

namespace rportd::plugin_host {

namespace {

using rport::sdk::isValid;
using rport::sdk::str;
using rport::sdk::view;
namespace password = rport::sdk::password;

std::atomic<unsigned> gBcryptCost{10};

Poco::Message::Priority priorityFor(int32_t level) noexcept {
    if (level <= RPORT_LOG_ERROR) return Poco::Message::PRIO_ERROR;
    if (level == RPORT_LOG_WARNING) return Poco::Message::PRIO_WARNING;
    if (level == RPORT_LOG_INFO) return Poco::Message::PRIO_INFORMATION;
    return Poco::Message::PRIO_DEBUG;
}

// A plugin's text goes into our log files: control characters (a newline
// above all) would let it forge log lines, so they become spaces.
std::string printable(std::string_view text) {
    std::string out(text);
    std::replace_if(
        out.begin(), out.end(),
        [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\t') || u == 0x7f;
        },
        ' ');
    return out;
}

InstanceContext* context(rport_host_ctx* ctx) noexcept { return InstanceContext::from(ctx); }

void logService(rport_host_ctx* ctx, int32_t level, rport_str message) noexcept {
    try {
        const Poco::Message::Priority priority = priorityFor(level);
        if (InstanceContext* instance = context(ctx)) {
            if (priority <= Poco::Message::PRIO_ERROR) instance->recordError(printable(view(message)));
            Poco::Logger& logger = instance->logger();
            if (logger.is(priority))
                logger.log(Poco::Message(
                    logger.name(), instance->label() + ": " + printable(view(message)), priority));
            return;
        }
        // No instance: the plugin as a whole (entry, timers), or nobody we know.
        const std::string* plugin = PluginAttribution::current();
        Poco::Logger& logger =
            Poco::Logger::get(plugin ? "plugin." + *plugin : std::string("plugins"));
        if (logger.is(priority))
            logger.log(Poco::Message(logger.name(), printable(view(message)), priority));
    } catch (...) {
    }
}

int32_t configGetService(rport_host_ctx* ctx, rport_str key, rport_str* value) noexcept {
    if (!value || !isValid(key)) return RPORT_E_INVALID;
    InstanceContext* instance = context(ctx);
    if (!instance) return RPORT_E_NOT_FOUND;
    std::optional<std::string_view> found = instance->setting(view(key));
    if (!found) return RPORT_E_NOT_FOUND;
    *value = str(*found);
    return RPORT_OK;
}

void configKeysService(rport_host_ctx* ctx, void (*each)(void* arg, rport_str key),
                       void* arg) noexcept {
    InstanceContext* instance = context(ctx);
    if (!instance || !each) return;
    // each is the plugin's; one that throws breaks the rule, but must not
    // unwind through these frames either.
    try {
        for (const auto& setting : instance->settings()) each(arg, str(setting.first));
    } catch (...) {
        logService(ctx, RPORT_LOG_ERROR, str("the config_keys callback threw an exception"));
    }
}

rport_str dataDirService(rport_host_ctx* ctx) noexcept {
    InstanceContext* instance = context(ctx);
    return instance ? str(instance->dataDir()) : rport_str{nullptr, 0};
}

rport_str instanceKindService(rport_host_ctx* ctx) noexcept {
    InstanceContext* instance = context(ctx);
    return instance ? str(instance->kind()) : rport_str{nullptr, 0};
}

int32_t secretEqualService(rport_str a, rport_str b) noexcept {
    if (!isValid(a) || !isValid(b)) return 0;  // a malformed secret equals nothing
    return password::constantTimeEqual(view(a), view(b)) ? 1 : 0;
}

int32_t passwordHashService(rport_str plain, char* buffer, size_t capacity,
                            size_t* length) noexcept {
    try {
        if (!buffer || !length || !isValid(plain)) return RPORT_E_INVALID;
        // crypt(3) takes a C string: a NUL inside would silently cut it.
        if (view(plain).find('\0') != std::string_view::npos) return RPORT_E_INVALID;
        std::optional<std::string> hash = password::hashBcrypt(view(plain), gBcryptCost.load());
        if (!hash) return RPORT_E_INTERNAL;
        if (hash->size() + 1 > capacity) return RPORT_E_INVALID;
        std::memcpy(buffer, hash->c_str(), hash->size() + 1);
        *length = hash->size();
        return RPORT_OK;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

int32_t passwordVerifyService(rport_str hash, rport_str presented) noexcept {
    try {
        if (!isValid(hash) || !isValid(presented)) return RPORT_E_INVALID;
        switch (password::verifyHash(view(hash), view(presented))) {
            case password::Verdict::Match:
                return RPORT_OK;
            case password::Verdict::Mismatch:
                return RPORT_E_DENIED;
            case password::Verdict::Unsupported:
                break;
        }
        return RPORT_E_INVALID;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

void certChangedService(rport_host_ctx* ctx) noexcept {
    // notifyCertChanged catches what the handler throws; this catches what
    // getting there may throw.
    try {
        if (InstanceContext* instance = context(ctx)) instance->notifyCertChanged();
    } catch (...) {
    }
}

int32_t http01PublishService(rport_host_ctx* ctx, rport_str token,
                             rport_str keyAuthorization) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !isValid(token) || !isValid(keyAuthorization)) return RPORT_E_INVALID;
        if (!Http01Tokens::isValidToken(view(token)) ||
            !Http01Tokens::isValidKeyAuthorization(view(keyAuthorization)))
            return RPORT_E_INVALID;
        return instance->publishHttp01(view(token), view(keyAuthorization)) ? RPORT_OK
                                                                            : RPORT_E_UNAVAILABLE;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

int32_t http01WithdrawService(rport_host_ctx* ctx, rport_str token) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !isValid(token) || !Http01Tokens::isValidToken(view(token)))
            return RPORT_E_INVALID;
        return instance->services().http01Tokens().withdraw(view(token)) ? RPORT_OK
                                                                         : RPORT_E_NOT_FOUND;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

// Both timer_start and timer_start64 end here.
int32_t startTimer(rport_host_ctx* ctx, TimerService::Milliseconds delay,
                   TimerService::Milliseconds period, rport_timer_fn fire, void* arg,
                   uint64_t* id) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !fire || !id) return RPORT_E_INVALID;
        // Log lines the callback writes without a ctx still name the plugin.
        auto callback = [plugin = instance->identity().pluginName, fire, arg] {
            PluginAttribution attribution(plugin);
            fire(arg);
        };
        std::optional<uint64_t> started = instance->startTimer(delay, period, callback);
        if (!started) return RPORT_E_UNAVAILABLE;
        *id = *started;
        return RPORT_OK;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

int32_t timerStartService(rport_host_ctx* ctx, uint32_t delayMs, uint32_t periodMs,
                          rport_timer_fn fire, void* arg, uint64_t* id) noexcept {
    return startTimer(ctx, std::chrono::milliseconds(delayMs), std::chrono::milliseconds(periodMs),
                      fire, arg, id);
}

int32_t timerCancelService(rport_host_ctx* ctx, uint64_t id) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance) return RPORT_E_INVALID;
        return instance->cancelTimer(id) ? RPORT_OK : RPORT_E_NOT_FOUND;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

// ---- ABI 1.1 ---------------------------------------------------------------------

int32_t tlsAlpn01PublishService(rport_host_ctx* ctx, rport_str name, rport_str certPem,
                                rport_str keyPem) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !isValid(name) || !isValid(certPem) || !isValid(keyPem))
            return RPORT_E_INVALID;
        return instance->publishTlsAlpn01(view(name), view(certPem), view(keyPem));
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

int32_t tlsAlpn01WithdrawService(rport_host_ctx* ctx, rport_str name) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !isValid(name) || !TlsAlpn01Challenges::isValidName(view(name)))
            return RPORT_E_INVALID;
        return instance->withdrawTlsAlpn01(view(name)) ? RPORT_OK : RPORT_E_NOT_FOUND;
    } catch (...) {
        return RPORT_E_INTERNAL;
    }
}

// Status texts end up in /status and the log; 2 KB is far more than a
// sentence needs. Cut at a character boundary so the UTF-8 stays whole.
constexpr size_t kMaxStatusText = 2048;

std::string boundedText(rport_str text) {
    if (!text.ptr) return {};
    size_t length = text.len;
    if (length > kMaxStatusText) {
        length = kMaxStatusText;
        while (length > 0 && (static_cast<unsigned char>(text.ptr[length]) & 0xC0) == 0x80)
            --length;
    }
    return std::string(text.ptr, length);
}

// Reads only what the plugin's struct_size covers: a shorter struct from a
// plugin of another minor leaves the rest empty.
rport::sdk::ProviderStatus statusFrom(const rport_provider_status* s) {
    rport::sdk::ProviderStatus out;
    if (RPORT_HAS_MEMBER(s, rport_provider_status, name)) out.name = boundedText(s->name);
    if (RPORT_HAS_MEMBER(s, rport_provider_status, state)) out.state = boundedText(s->state);
    if (RPORT_HAS_MEMBER(s, rport_provider_status, detail)) out.detail = boundedText(s->detail);
    if (RPORT_HAS_MEMBER(s, rport_provider_status, last_error))
        out.lastError = boundedText(s->last_error);
    if (RPORT_HAS_MEMBER(s, rport_provider_status, last_error_at))
        out.lastErrorAt = s->last_error_at;
    if (RPORT_HAS_MEMBER(s, rport_provider_status, next_attempt))
        out.nextAttempt = s->next_attempt;
    if (RPORT_HAS_MEMBER(s, rport_provider_status, not_after)) out.notAfter = s->not_after;
    return out;
}

void statusReportService(rport_host_ctx* ctx, const rport_provider_status* status) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        if (!instance || !status) return;
        instance->reportStatus(statusFrom(status));
    } catch (...) {
    }
}

rport_str stateDirService(rport_host_ctx* ctx) noexcept {
    try {
        InstanceContext* instance = context(ctx);
        const std::string* dir = instance ? instance->stateDir() : nullptr;
        return dir ? str(*dir) : rport_str{nullptr, 0};
    } catch (...) {
        return rport_str{nullptr, 0};
    }
}

int32_t timerStart64Service(rport_host_ctx* ctx, uint64_t delayMs, uint64_t periodMs,
                            rport_timer_fn fire, void* arg, uint64_t* id) noexcept {
    return startTimer(ctx, TimerService::delayFromUnsigned(delayMs),
                      TimerService::delayFromUnsigned(periodMs), fire, arg, id);
}

// The 1.0 table: exactly what a 1.0 rportd handed out, so its struct_size
// ends where the 1.1 slots begin.
rport_host_v1 makeTable1_0() noexcept {
    rport_host_v1 t;
    std::memset(&t, 0, sizeof t);
    t.struct_size = static_cast<uint32_t>(offsetof(rport_host_v1, tls_alpn01_publish));
    t.abi_major = RPORT_ABI_MAJOR;
    t.abi_minor = 0;
    t.log = &logService;
    t.config_get = &configGetService;
    t.config_keys = &configKeysService;
    t.data_dir = &dataDirService;
    t.instance_kind = &instanceKindService;
    t.secret_equal = &secretEqualService;
    t.password_hash = &passwordHashService;
    t.password_verify = &passwordVerifyService;
    t.cert_changed = &certChangedService;
    t.http01_publish = &http01PublishService;
    t.http01_withdraw = &http01WithdrawService;
    t.timer_start = &timerStartService;
    t.timer_cancel = &timerCancelService;
    return t;
}

rport_host_v1 makeTable() noexcept {
    rport_host_v1 t = makeTable1_0();
    t.struct_size = sizeof t;
    t.abi_minor = RPORT_ABI_MINOR;
    t.tls_alpn01_publish = &tlsAlpn01PublishService;
    t.tls_alpn01_withdraw = &tlsAlpn01WithdrawService;
    t.status_report = &statusReportService;
    t.state_dir = &stateDirService;
    t.timer_start64 = &timerStart64Service;
    return t;
}

}  // namespace

HostServices::HostServices(HostOptions options) : _options(std::move(options)) {
    setBcryptCost(_options.bcryptCost);
}

HostServices::~HostServices() = default;

uint32_t HostServices::offeredAbiMinor() const noexcept {
    return std::min<uint32_t>(_options.offeredAbiMinor, RPORT_ABI_MINOR);
}

const rport_host_v1* HostServices::table() const noexcept {
    // Function-local, so a plugin loaded from another static initialiser
    // still finds them filled in.
    static const rport_host_v1 table1_0 = makeTable1_0();
    static const rport_host_v1 current = makeTable();
    return offeredAbiMinor() == 0 ? &table1_0 : &current;
}

unsigned HostServices::bcryptCost() noexcept { return gBcryptCost.load(); }

void HostServices::setBcryptCost(unsigned cost) noexcept { gBcryptCost.store(cost); }

std::unique_ptr<InstanceContext> HostServices::makeContext(InstanceIdentity identity,
                                                           Settings settings) {
    return std::make_unique<InstanceContext>(*this, std::move(identity), std::move(settings));
}

}  // namespace rportd::plugin_host
