#include "AcmeProvider.h"

#include <Poco/Net/SSLManager.h>

#include <algorithm>
#include <limits>

#include "Duration.h"
#include "LogText.h"
#include "RetryAfter.h"
#include "TimeText.h"

namespace rport::plugins::acme {
namespace {

using rport::sdk::Error;

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
// A timer that fires this little early counts as on time.
constexpr int64_t kSlackMs = 5;
// Waiting for another instance's order.lock: first re-check, and the cap.
constexpr int64_t kFirstLockWaitMs = 250;
constexpr int64_t kLockWaitCapMs = 30 * 1000;
// Renewal information: re-checked after the CA's Retry-After within these
// bounds, after an hour when fetching it failed.
constexpr int64_t kAriDefaultMs = 6LL * 3600 * 1000;
constexpr int64_t kAriMinMs = 60 * 1000;
constexpr int64_t kAriMaxMs = 24LL * 3600 * 1000;
constexpr int64_t kAriFailureMs = 3600 * 1000;

std::string abiTooOld(const rport::sdk::Host& host, const std::string& what) {
    return "rportd is too old for the acme certificate provider: plugin ABI 1.1 needed (" + what +
           "), this rportd offers ABI 1." + std::to_string(host.abiMinor()) + "; upgrade rportd";
}

// The settings, after making sure the host offers what they need.
AcmeSettings checkedSettings(const rport::sdk::Host& host) {
    if (!host.offersStateDir())
        throw Error(RPORT_E_UNSUPPORTED, abiTooOld(host, "a state directory"));
    AcmeSettings s = AcmeSettings::read(host, host.offersTlsAlpn01());
    if (!host.offersTlsAlpn01() && s.offers(ChallengeType::TlsAlpn01)) {
        if (s.challenges.size() == 1)
            throw Error(RPORT_E_UNSUPPORTED, abiTooOld(host, "answering TLS-ALPN-01") +
                                                 ", or allow http-01 in setting 'challenges'");
        s.challenges.erase(
            std::remove(s.challenges.begin(), s.challenges.end(), ChallengeType::TlsAlpn01),
            s.challenges.end());
        host.warning("this rportd cannot answer tls-alpn-01; using only http-01");
    }
    return s;
}

std::string stateDirOf(const rport::sdk::Host& host) {
    try {
        return host.stateDir();
    } catch (const Error& e) {
        throw Error(e.code(),
                    std::string("the acme provider has no state directory: ") + e.what() +
                        "; check that [server] data_dir exists and is writable by rportd");
    }
}

TransportOptions transportOptions(const AcmeSettings& s) {
    TransportOptions o;
    o.caBundle = s.caBundle;
    o.userAgent = "rportd-acme/1.0";
    return o;
}

}  // namespace

SslLibrary::SslLibrary() { Poco::Net::initializeSSL(); }
SslLibrary::~SslLibrary() { Poco::Net::uninitializeSSL(); }

AcmeProvider::AcmeProvider(rport::sdk::Host host)
    : _host(host),
      _settings(checkedSettings(host)),
      _checkOnly(host.flag("check_only", false)),
      _storage(stateDirOf(host), _settings.directoryUrl),
      _responder(host),
      _worker([this] { turn(); }) {
    try {
        _storage.ensureWritable();
    } catch (const StorageError& e) {
        throw Error(RPORT_E_INVALID, e.what());
    }
    try {
        _client =
            std::make_unique<AcmeClient>(_settings.directoryUrl, transportOptions(_settings),
                                         [host](const std::string& line) { host.debug(line); });
    } catch (const TransportError& e) {
        throw Error(RPORT_E_INVALID, e.what());
    }

    const int64_t now = nowMs();
    std::string why;
    if (auto stored = usableStored(now, why)) {
        if (!why.empty())
            _host.warning("the stored certificate for " + _settings.name + " is unusable: " + why);
        install(stored->first, stored->second);
        _host.info("using the stored certificate for " + _settings.name + " (serial " +
                   stored->second.serialHex + ", valid until " + utcText(stored->second.notAfter) +
                   ")" +
                   (renewalDue(now)
                        ? "; it is due for renewal"
                        : "; renewal at " + utcText(_plan.renewAt()) + " (" + _plan.basis() + ")"));
    } else {
        if (!why.empty())
            _host.warning("not using the stored certificate for " + _settings.name + ": " + why);
        if (!_checkOnly)
            _host.info("no certificate for " + _settings.name + " yet; ordering one from " +
                       _settings.directoryUrl);
    }
    report(now);
    // rportd --check-config: settings and storage are checked, the CA is
    // never contacted.
    if (_checkOnly) return;
    // Last: nothing may throw once the thread runs.
    _worker.start();
    _worker.wake();
}

AcmeProvider::~AcmeProvider() {
    _stopping = true;
    if (_client) _client->abort();  // ends a request in flight at once
    _worker.stop();
    if (_timerArmed) _host.cancelTimer(_timer);
    _order.reset();  // withdraws what it published
    _responder.withdrawAll();
    _orderLock.reset();
    _client.reset();
}

rport::sdk::CertBundle AcmeProvider::current() {
    std::lock_guard<std::mutex> lock(_bundleMutex);
    if (!_bundle)
        throw Error(RPORT_E_UNAVAILABLE, "no certificate for " + _settings.name +
                                             " yet (the acme provider is ordering one)");
    return *_bundle;
}

void AcmeProvider::renewNow() {
    _recheckRequested = true;
    _worker.wake();
}

void AcmeProvider::onTimer(void* self) { static_cast<AcmeProvider*>(self)->_worker.wake(); }

// ---- planning -----------------------------------------------------------------------

bool AcmeProvider::renewalDue(int64_t now) const {
    return !_inForce || _keyTypeChanged || now >= _plan.renewAt() * 1000;
}

std::optional<std::pair<StoredPair, CertificateInfo>> AcmeProvider::checkedPair(
    std::optional<StoredPair> pair, const std::string& chainPath, const std::string& keyPath,
    int64_t now, std::string& why, bool& mismatched) const {
    mismatched = false;
    if (!pair) return std::nullopt;
    CertificateInfo info;
    try {
        info = inspectChain(pair->chainPem);
    } catch (const CertificateError& e) {
        why = chainPath + " holds no usable certificate (" + e.what() + ")";
        mismatched = true;
        return std::nullopt;
    }
    if (!keyMatchesLeaf(pair->chainPem, pair->keyPem)) {
        why = keyPath + " is not the key of " + chainPath;
        mismatched = true;
        return std::nullopt;
    }
    if (!info.coversName(_settings.name)) {
        why = "it does not name " + _settings.name;
        return std::nullopt;
    }
    if (info.expiredAt(now / 1000)) {
        why = "it expired at " + utcText(info.notAfter);
        return std::nullopt;
    }
    return std::make_pair(std::move(*pair), std::move(info));
}

std::optional<std::pair<StoredPair, CertificateInfo>> AcmeProvider::usableStored(
    int64_t now, std::string& why) const {
    const std::string& name = _settings.name;
    bool mismatched = false;
    try {
        if (auto current = checkedPair(_storage.loadCertificate(name), _storage.chainPath(name),
                                       _storage.keyPath(name), now, why, mismatched))
            return current;
    } catch (const StorageError& e) {
        why = e.what();
        return std::nullopt;
    }
    if (!mismatched) return std::nullopt;
    // A write cut short between the key's rename and the chain's: the
    // backup pair is what was served before; use it while it is good.
    try {
        std::string previousWhy;
        bool previousMismatched = false;
        if (auto previous = checkedPair(
                _storage.loadPreviousCertificate(name), _storage.previousChainPath(name),
                _storage.previousKeyPath(name), now, previousWhy, previousMismatched)) {
            why += "; using the backup pair " + _storage.previousChainPath(name) + " instead";
            return previous;
        }
    } catch (const StorageError&) {
        // The current pair's reason is the one to tell.
    }
    return std::nullopt;
}

void AcmeProvider::install(const StoredPair& pair, const CertificateInfo& info) {
    {
        std::lock_guard<std::mutex> lock(_bundleMutex);
        _bundle = rport::sdk::CertBundle{pair.chainPem, pair.keyPem, info.notBefore, info.notAfter};
    }
    _inForce = info;
    try {
        _keyTypeChanged = PrivateKey::fromPem(pair.keyPem).type() != _settings.keyType;
    } catch (const std::exception&) {
        _keyTypeChanged = true;
    }
    if (_keyTypeChanged)
        _host.info("the certificate for " + _settings.name +
                   " has another key type than key_type = \"" + keyTypeName(_settings.keyType) +
                   "\"; replacing it");
    _plan.setCertificate(info.notBefore, info.notAfter);
    // A certificate due at once (a CA issuing very short ones) does not end
    // the backoff: orderDone plans the next attempt after it.
    if (!renewalDue(nowMs())) _failures = 0;
    _retryAtMs = 0;
    _caRetryAfterMs = 0;
    _caRetryAfterClamped = false;
    _refusedWindow.reset();
    _unstored.reset();
    _lastError.clear();
    _lastErrorAt = 0;
    _lastErrorNeedsOperator = false;
    _ariCheckMs = 0;  // ask the CA about this certificate's window at once
}

void AcmeProvider::announce() {
    _host.certChanged();  // not holding _bundleMutex: rportd calls current() from in here
}

bool AcmeProvider::adoptFresherStored(int64_t now) {
    std::string why;
    auto stored = usableStored(now, why);
    if (!stored) return false;
    const CertificateInfo& info = stored->second;
    if (_inForce && (info.serialHex == _inForce->serialHex || info.notAfter <= _inForce->notAfter))
        return false;
    if (now >= twoThirdsPoint(info.notBefore, info.notAfter) * 1000) return false;
    try {
        if (PrivateKey::fromPem(stored->first.keyPem).type() != _settings.keyType) return false;
    } catch (const std::exception&) {
        return false;
    }
    install(stored->first, info);
    _host.info("using the certificate for " + _settings.name +
               " that another rportd instance stored (serial " + info.serialHex + ", valid until " +
               utcText(info.notAfter) + "); next renewal at " + utcText(_plan.renewAt()) + " (" +
               _plan.basis() + ")");
    report(now);
    announce();
    return true;
}

void AcmeProvider::arm(int64_t delayMs) {
    if (_timerArmed) {
        _host.cancelTimer(_timer);
        _timerArmed = false;
    }
    if (_stopping) return;
    if (delayMs <= 0) {
        _worker.wake();
        return;
    }
    try {
        _timer =
            _host.startLongTimer(static_cast<uint64_t>(delayMs), 0, &AcmeProvider::onTimer, this);
        _timerArmed = true;
    } catch (const Error& e) {
        if (_stopping || e.code() == RPORT_E_UNAVAILABLE) {
            // rportd is closing this instance: nothing to wait for.
            _hostClosing = _hostClosing || e.code() == RPORT_E_UNAVAILABLE;
            _host.debug(std::string("no timer started: ") + printable(e.what()));
            return;
        }
        _host.error(std::string("cannot start a timer: ") + e.what() +
                    "; the acme provider is stuck until SIGHUP");
    }
}

// ---- status -------------------------------------------------------------------------

std::string AcmeProvider::stateWord() const {
    if (_order || _lockRecheckMs) return _inForce ? "renewing" : "issuing";
    if (_retryAtMs) return _lastErrorNeedsOperator ? "failed" : "retrying";
    return _inForce ? "valid" : "issuing";
}

void AcmeProvider::report(int64_t now) {
    rport::sdk::ProviderStatus s;
    s.name = _settings.name;
    s.state = stateWord();
    s.lastError = printable(_lastError, 2000);
    s.lastErrorAt = _lastErrorAt;
    s.notAfter = _inForce ? _inForce->notAfter : 0;
    if (_order) {
        s.detail = "ordering from " + _settings.directoryUrl + ": " + _order->activity();
    } else if (_lockRecheckMs) {
        s.detail = "another rportd instance is ordering this certificate (" +
                   _storage.orderLockPath(_settings.name) + " is locked); checking again at " +
                   utcText(_lockRecheckMs / 1000);
        s.nextAttempt = _lockRecheckMs / 1000;
    } else if (_unstored && _retryAtMs && _inForce) {
        s.detail = "certificate valid until " + utcText(_inForce->notAfter) +
                   " in service, not stored yet; next write attempt at " +
                   utcText(_retryAtMs / 1000);
        s.nextAttempt = _retryAtMs / 1000;
    } else if (_retryAtMs) {
        s.detail = "attempt " + std::to_string(_failures) + " failed; next attempt at " +
                   utcText(_retryAtMs / 1000) +
                   (_inForce ? "; the current certificate (valid until " +
                                   utcText(_inForce->notAfter) + ") stays in service"
                             : std::string());
        s.nextAttempt = _retryAtMs / 1000;
    } else if (_inForce) {
        s.detail = "certificate valid until " + utcText(_inForce->notAfter) + "; renewal at " +
                   utcText(_plan.renewAt()) + " (" + _plan.basis() + ")";
        s.nextAttempt = _keyTypeChanged ? now / 1000 : _plan.renewAt();
    } else {
        s.detail = "ordering a certificate from " + _settings.directoryUrl;
    }
    s.detail = printable(s.detail, 2000);
    _host.reportStatus(s);
}

// ---- the worker's turns -----------------------------------------------------------------

void AcmeProvider::turn() {
    if (_stopping || _hostClosing) return;
    try {
        const int64_t now = nowMs();
        if (_recheckRequested.exchange(false)) recheck(now);
        if (_order)
            orderTurn(now);
        else
            idleTurn(now);
    } catch (const Error& e) {
        if (_stopping || e.code() == RPORT_E_UNAVAILABLE) {
            _hostClosing = _hostClosing || e.code() == RPORT_E_UNAVAILABLE;
            _host.debug(std::string("acme provider: stopping (") + printable(e.what()) + ")");
            return;
        }
        _host.error(std::string("acme provider: unexpected error: ") + printable(e.what()));
        _order.reset();
        _orderLock.reset();
        orderFailed(AcmeFailure(std::string("unexpected error: ") + e.what()), nowMs());
    } catch (const std::exception& e) {
        // Nothing should get here; if something does, retry later instead of
        // leaving the provider without a timer.
        if (_stopping) return;
        _host.error(std::string("acme provider: unexpected error: ") + printable(e.what()));
        _order.reset();
        _orderLock.reset();
        orderFailed(AcmeFailure(std::string("unexpected error: ") + e.what()), nowMs());
    }
}

void AcmeProvider::recheck(int64_t now) {
    _host.info("checking the certificate for " + _settings.name + " again (renew_now)");
    if (_order) return;  // an order is under way already
    adoptFresherStored(now);
    _lockRecheckMs = 0;
    // Ask the CA for its renewal window again too: it moves a window
    // forward when it plans to revoke (RFC 9773 §4.2).
    if (_ariCheckMs != kNever) _ariCheckMs = now;
    // An operator asking again means "I fixed it": retry now, unless the CA
    // asked us to stay away longer (a rate limit).
    // A wait rportd shortened itself is the CA's word no longer: the
    // operator may override it.
    if (_retryAtMs && (now >= _caRetryAfterMs || _caRetryAfterClamped)) _retryAtMs = now;
}

void AcmeProvider::idleTurn(int64_t now) {
    if (_lockRecheckMs && now + kSlackMs < _lockRecheckMs) {
        arm(_lockRecheckMs - now);
        return;
    }
    if (_unstored && !renewalDue(now)) {
        if (now + kSlackMs >= _retryAtMs) {
            storeTurn(now);
            return;
        }
    }
    if (renewalDue(now)) {
        if (_retryAtMs && now + kSlackMs < _retryAtMs) {
            arm(_retryAtMs - now);
            return;
        }
        startOrder(now);
        return;
    }
    _lockRecheckMs = 0;
    if (_ariCheckMs != kNever && now + kSlackMs >= _ariCheckMs) {
        renewalInfoTurn(now);
        return;
    }
    int64_t next = _plan.renewAt() * 1000;
    if (_ariCheckMs < next) next = _ariCheckMs;
    if (_unstored && _retryAtMs < next) next = _retryAtMs;
    arm(next - now);
}

void AcmeProvider::renewalInfoTurn(int64_t now) {
    try {
        if (!_client->hasDirectory(now, OrderMachine::kDirectoryMaxAgeMs)) {
            _client->fetchDirectory();
            _worker.wake();
            return;
        }
        const std::string base = _client->directory().renewalInfo;
        const std::string id = ariCertificateId(*_inForce);
        if (base.empty() || id.empty()) {
            _ariCheckMs = kNever;
            _host.debug(
                base.empty()
                    ? "the CA offers no renewal information (ARI); renewing at two thirds of the "
                      "certificate's lifetime"
                    : "the certificate has no Authority Key Identifier, so no renewal information");
            _worker.wake();
            return;
        }
        const HttpResult r = _client->get(base + (base.back() == '/' ? "" : "/") + id);
        if (!r.ok()) throw AcmeFailure("the CA answered HTTP " + std::to_string(r.status));
        const auto window = parseRenewalInfo(r.body);
        if (!window) throw AcmeFailure("the answer holds no valid suggestedWindow");
        const int64_t before = _plan.renewAt();
        if (_plan.setWindow(*window, _random())) {
            _refusedWindow.reset();
        } else if (_refusedWindow != window) {
            _refusedWindow = window;
            _host.warning(printable("the CA's renewal window for " + _settings.name + " (" +
                                    utcText(window->start) + " to " + utcText(window->end) +
                                    ") reaches too close to or past the certificate's "
                                    "expiry (" +
                                    utcText(_inForce->notAfter) +
                                    "); renewing at two thirds of its "
                                    "lifetime instead (" +
                                    utcText(_plan.renewAt()) + ")"));
        }
        const auto retryAfter = parseRetryAfter(r.retryAfter, now / 1000);
        const int64_t recheckMs = std::clamp<int64_t>(
            retryAfter ? *retryAfter * 1000 : kAriDefaultMs, kAriMinMs, kAriMaxMs);
        _ariCheckMs = now + recheckMs;
        _host.debug("renewal information for " + _settings.name + ": window " +
                    utcText(window->start) + " to " + utcText(window->end) + "; asking again in " +
                    formatDuration(recheckMs));
        if (_plan.renewAt() != before) {
            _host.info(
                (_plan.renewAt() * 1000 <= now
                     ? "renewal of " + _settings.name + " is due now"
                     : "next renewal of " + _settings.name + " at " + utcText(_plan.renewAt())) +
                " (" + _plan.basis() + ")");
            report(now);
        }
    } catch (const std::exception& e) {
        if (_stopping || _hostClosing) return;
        _ariCheckMs = now + kAriFailureMs;
        _host.warning("could not get renewal information for " + _settings.name + " from the CA (" +
                      printable(e.what()) + "); keeping the renewal at " +
                      utcText(_plan.renewAt()) + ", asking again in " +
                      formatDuration(kAriFailureMs));
    }
    _worker.wake();
}

void AcmeProvider::startOrder(int64_t now) {
    std::unique_ptr<FileLock> lock;
    try {
        lock = _storage.tryLockName(_settings.name);
    } catch (const StorageError& e) {
        orderFailed(AcmeFailure(e.what(), true), now);
        return;
    }
    if (!lock) {
        // Another rportd (or another instance here) is ordering this very
        // certificate: wait for it, and take its certificate when it is stored.
        if (adoptFresherStored(now)) {
            _lockWaitMs = _lockRecheckMs = 0;
            _worker.wake();
            return;
        }
        if (!_lockWaitMs)
            _host.info("another rportd instance is ordering the certificate for " + _settings.name +
                       " (" + _storage.orderLockPath(_settings.name) +
                       " is locked); waiting for it");
        _lockWaitMs = _lockWaitMs ? std::min(_lockWaitMs * 2, kLockWaitCapMs) : kFirstLockWaitMs;
        _lockRecheckMs = now + _lockWaitMs;
        _host.debug("checking " + _storage.orderLockPath(_settings.name) + " again in " +
                    formatDuration(_lockWaitMs));
        report(now);
        arm(_lockWaitMs);
        return;
    }
    _lockWaitMs = _lockRecheckMs = 0;
    // Under the lock, look again: whoever held it may have just stored one.
    if (adoptFresherStored(now)) {
        _worker.wake();
        return;
    }
    _orderLock = std::move(lock);
    const std::string replaces = _inForce ? ariCertificateId(*_inForce) : std::string();
    // "replaces" only when the CA offers ARI (it then knows the field).
    const bool caOffersAri = _client->hasDirectory(now, OrderMachine::kDirectoryMaxAgeMs) &&
                             !_client->directory().renewalInfo.empty();
    _order = std::make_unique<OrderMachine>(_settings, *_client, _storage, _responder, _host,
                                            caOffersAri ? replaces : std::string());
    _orderStartedMs = now;
    _orderWakeMs = 0;
    _reportedActivity = _order->activity();
    _host.info("ordering a certificate for " + _settings.name + " from " + _settings.directoryUrl +
               (_inForce ? " to replace serial " + _inForce->serialHex + " (valid until " +
                               utcText(_inForce->notAfter) + ")"
                         : std::string()));
    report(now);
    _worker.wake();
}

void AcmeProvider::orderTurn(int64_t now) {
    if (now + kSlackMs < _orderWakeMs) {
        arm(_orderWakeMs - now);
        return;
    }
    _host.debug(std::string("order step ") + orderStateName(_order->state()));
    const OrderStep step = _order->step();
    if (_stopping) return;
    if (step.kind == OrderStep::Done) {
        orderDone(now);
        return;
    }
    if (step.kind == OrderStep::Failed) {
        const AcmeFailure failure = _order->failure();
        _order.reset();
        _orderLock.reset();
        orderFailed(failure, now);
        return;
    }
    if (_order->activity() != _reportedActivity) {
        _reportedActivity = _order->activity();
        report(now);
    }
    if (step.kind == OrderStep::Wait) {
        _orderWakeMs = nowMs() + step.waitMs;
        arm(step.waitMs);
    } else {
        _worker.wake();
    }
}

void AcmeProvider::orderDone(int64_t now) {
    const StoredPair pair = _order->issued();
    const std::string storeError = _order->storeError();
    _order.reset();
    _orderLock.reset();
    CertificateInfo info;
    try {
        info = inspectChain(pair.chainPem);
    } catch (const CertificateError& e) {
        orderFailed(AcmeFailure(std::string("the issued certificate cannot be read: ") + e.what()),
                    now);
        return;
    }
    const int64_t tookMs = nowMs() - _orderStartedMs;
    _host.info("certificate for " + _settings.name + " issued: serial " + info.serialHex +
               ", valid until " + utcText(info.notAfter) + " (" + std::to_string(tookMs) + " ms)");
    install(pair, info);
    _host.info("next renewal of " + _settings.name + " at " + utcText(_plan.renewAt()) + " (" +
               _plan.basis() + ")");
    if (renewalDue(now) && !_keyTypeChanged) {
        ++_failures;
        _retryAtMs = now + backoffMs(_failures, _settings.retryMinMs, _settings.retryMaxMs);
        _lastError = "the CA issued a certificate that is due for renewal at once (valid " +
                     utcText(info.notBefore) + " to " + utcText(info.notAfter) +
                     "); ordering again after a backoff";
        _lastErrorAt = now / 1000;
        _lastErrorNeedsOperator = false;
        _host.warning(_lastError + " at " + utcText(_retryAtMs / 1000));
    }
    if (!storeError.empty()) {
        // Served from memory all the same; only the write is retried, never
        // the order (that would be another certificate from the CA).
        _unstored = pair;
        _failures = 1;
        _retryAtMs = now + backoffMs(_failures, _settings.retryMinMs, _settings.retryMaxMs);
        _lastError = "the new certificate (serial " + info.serialHex +
                     ") is in service but could not be stored: " + storeError +
                     ". Fix the storage; rportd writes it again without ordering a new one";
        _lastErrorAt = now / 1000;
        _lastErrorNeedsOperator = true;
        _host.error(printable(
            _lastError + "; next write attempt at " + utcText(_retryAtMs / 1000) + ".", 4000));
    }
    report(now);
    announce();
    _worker.wake();
}

void AcmeProvider::storeTurn(int64_t now) {
    std::string problem;
    try {
        auto lock = _storage.tryLockName(_settings.name);
        if (!lock) {
            problem =
                _storage.orderLockPath(_settings.name) + " is locked by another rportd instance";
        } else {
            // Another instance may have stored a newer one meanwhile.
            std::string why;
            const auto stored = usableStored(now, why);
            if (stored && why.empty() && stored->second.notAfter >= _inForce->notAfter) {
                _unstored.reset();
                if (!adoptFresherStored(now)) {
                    _failures = 0;
                    _retryAtMs = 0;
                    _lastError.clear();
                    _lastErrorAt = 0;
                    _lastErrorNeedsOperator = false;
                    report(now);
                }
                _worker.wake();
                return;
            }
            _storage.saveCertificate(_settings.name, *_unstored);
        }
    } catch (const StorageError& e) {
        problem = e.what();
    }
    if (problem.empty()) {
        _unstored.reset();
        _failures = 0;
        _retryAtMs = 0;
        _lastError.clear();
        _lastErrorAt = 0;
        _lastErrorNeedsOperator = false;
        _host.info("stored the certificate for " + _settings.name + " (serial " +
                   _inForce->serialHex + ") in " + _storage.nameFolder(_settings.name));
        report(now);
        _worker.wake();
        return;
    }
    ++_failures;
    const int64_t delay = backoffMs(_failures, _settings.retryMinMs, _settings.retryMaxMs);
    _retryAtMs = now + delay;
    _lastError = "the certificate in service (serial " + _inForce->serialHex +
                 ") could not be stored: " + problem +
                 ". Fix the storage; rportd writes it again without ordering a new one";
    _lastErrorAt = now / 1000;
    _lastErrorNeedsOperator = true;
    _host.error(printable(_lastError + "; next write attempt at " + utcText(_retryAtMs / 1000) +
                              " (in " + formatDuration(delay) + ").",
                          4000));
    report(now);
    arm(delay);
}

void AcmeProvider::orderFailed(const AcmeFailure& failure, int64_t now) {
    if (_stopping || failure.isHostClosing()) {
        _hostClosing = _hostClosing || failure.isHostClosing();
        _host.debug("the order for " + _settings.name + " ends: " + printable(failure.what()));
        return;
    }
    ++_failures;
    int64_t delay = backoffMs(_failures, _settings.retryMinMs, _settings.retryMaxMs);
    _caRetryAfterMs = 0;
    _caRetryAfterClamped = false;
    if (failure.retryAfterSeconds()) {
        const int64_t asked = *failure.retryAfterSeconds();
        // Ten digits at most (parseRetryAfter): no overflow in milliseconds.
        const int64_t askedMs = asked > kNever / 1000 ? kNever : asked * 1000;
        const int64_t waitMs =
            boundedCaWaitMs(askedMs, now, _inForce ? _inForce->notAfter : 0, _settings.retryMinMs);
        if (waitMs < askedMs) {
            _caRetryAfterClamped = true;
            _host.warning(
                printable("the CA asked rportd to wait " + std::to_string(asked) +
                          " s before trying again (Retry-After); waiting " +
                          formatDuration(waitMs) + " instead" +
                          (_inForce ? " so that the certificate valid until " +
                                          utcText(_inForce->notAfter) + " can be renewed in time"
                                    : std::string())));
        }
        _caRetryAfterMs = now + waitMs;
        delay = std::max(delay, waitMs);
    }
    _retryAtMs = now + delay;
    _lastError = failure.what();
    _lastErrorAt = now / 1000;
    _lastErrorNeedsOperator = failure.needsOperator();
    std::string sentence = _lastError;
    if (!sentence.empty() && sentence.back() != '.') sentence += '.';
    _host.error(printable("could not obtain a certificate for " + _settings.name + ": " + sentence +
                              " Next attempt at " + utcText(_retryAtMs / 1000) + " (in " +
                              formatDuration(delay) + ")" +
                              (_inForce ? "; the current certificate (valid until " +
                                              utcText(_inForce->notAfter) + ") stays in service."
                                        : "."),
                          4000));
    report(now);
    arm(delay);
}

}  // namespace rport::plugins::acme
