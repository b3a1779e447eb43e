#pragma once
// The "acme" certificate provider: one DNS name, one certificate, obtained
// and renewed from an ACME CA without anyone's help.
//
// Lifecycle. create() reads the settings and the stored certificate; a
// usable one is served at once. Without one (or when it is due) the worker
// starts ordering right away, and current() says RPORT_E_UNAVAILABLE until
// the first certificate is in; every new certificate is announced with
// certChanged(). Renewal is planned at two thirds of the lifetime, or in
// the CA's ARI window; a failed attempt keeps the old certificate in service
// and is retried with capped exponential backoff (or the CA's Retry-After,
// if longer). renewNow() (SIGHUP) re-reads the storage and checks whether a
// renewal is due; it does not force one.
//
// Threads. Everything but current() and renewNow() runs on the worker; host
// timers only wake it. current() reads a cache under a mutex that is never
// held while calling the host.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <rport/plugin.hpp>
#include <string>

#include "AcmeClient.h"
#include "AcmeSettings.h"
#include "CertificateInfo.h"
#include "CertificateStorage.h"
#include "ChallengeResponder.h"
#include "Order.h"
#include "RenewalPlan.h"
#include "Worker.h"

namespace rport::plugins::acme {

// Poco's SSL initialisation for as long as an instance lives.
class SslLibrary {
public:
    SslLibrary();
    ~SslLibrary();
    SslLibrary(const SslLibrary&) = delete;
    SslLibrary& operator=(const SslLibrary&) = delete;
};

class AcmeProvider : public rport::sdk::CertProvider {
public:
    explicit AcmeProvider(rport::sdk::Host host);
    ~AcmeProvider() override;

    rport::sdk::CertBundle current() override;
    void renewNow() override;

private:
    static void onTimer(void* self);

    // Worker turns.
    void turn();
    void idleTurn(int64_t now);
    void orderTurn(int64_t now);
    void renewalInfoTurn(int64_t now);
    void startOrder(int64_t now);
    void orderDone(int64_t now);
    void orderFailed(const AcmeFailure& failure, int64_t now);
    void recheck(int64_t now);

    // The stored pair, when it can be served: key matches, names the host,
    // not expired; the backup pair (*.previous.pem) when the current pair is
    // mismatched (why then says so, and the result is the backup). why gets
    // the reason otherwise ("" when nothing is stored).
    std::optional<std::pair<StoredPair, CertificateInfo>> usableStored(int64_t now,
                                                                       std::string& why) const;
    std::optional<std::pair<StoredPair, CertificateInfo>> checkedPair(
        std::optional<StoredPair> pair, const std::string& chainPath, const std::string& keyPath,
        int64_t now, std::string& why, bool& mismatched) const;
    // Writes the certificate in service that could not be stored when it
    // was issued.
    void storeTurn(int64_t now);
    // Serves the stored certificate when another instance stored one newer
    // than ours that is not yet due.
    bool adoptFresherStored(int64_t now);
    // Puts the pair in service (current() returns it) and plans its renewal.
    void install(const StoredPair& pair, const CertificateInfo& info);
    // Tells rportd; after the status report, so /status never lags behind.
    void announce();
    bool renewalDue(int64_t now) const;

    void arm(int64_t delayMs);
    void report(int64_t now);
    std::string stateWord() const;

    rport::sdk::Host _host;
    SslLibrary _ssl;
    AcmeSettings _settings;
    const bool _checkOnly;  // rportd --check-config: validate, never start the worker
    CertificateStorage _storage;
    ChallengeResponder _responder;
    std::unique_ptr<AcmeClient> _client;

    std::mutex _bundleMutex;
    std::optional<rport::sdk::CertBundle> _bundle;

    // Worker state (and the constructor's, before the worker starts).
    std::optional<CertificateInfo> _inForce;
    bool _keyTypeChanged = false;  // the stored key is not key_type: replace it
    RenewalPlan _plan;
    std::unique_ptr<OrderMachine> _order;
    std::unique_ptr<FileLock> _orderLock;
    std::string _reportedActivity;
    int64_t _orderStartedMs = 0;
    int64_t _orderWakeMs = 0;
    int _failures = 0;
    int64_t _retryAtMs = 0;             // 0: no failure waiting
    int64_t _caRetryAfterMs = 0;        // the CA asked not to come back before this
    bool _caRetryAfterClamped = false;  // ... and asked for longer; renew_now may override
    std::optional<RenewalWindow> _refusedWindow;  // the CA's last window not used (warned once)
    std::string _lastError;
    std::optional<StoredPair> _unstored;  // in service, issued, not yet written
    int64_t _lastErrorAt = 0;
    bool _lastErrorNeedsOperator = false;
    int64_t _lockWaitMs = 0;  // another instance holds order.lock: current wait
    int64_t _lockRecheckMs = 0;
    int64_t _ariCheckMs = 0;  // next renewal information check; kNever: none
    std::mt19937_64 _random{std::random_device{}()};
    uint64_t _timer = 0;
    bool _timerArmed = false;
    std::atomic<bool> _recheckRequested{false};
    std::atomic<bool> _stopping{false};
    // A host service answered RPORT_E_UNAVAILABLE: rportd is closing this
    // instance (destroy follows); do nothing more, say nothing above debug.
    bool _hostClosing = false;

    Worker _worker;
};

}  // namespace rport::plugins::acme
