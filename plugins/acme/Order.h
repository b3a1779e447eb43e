#pragma once
// One certificate order (RFC 8555 §7.4) as an explicit state machine, shaped
// like HAProxy's acme_st: every call to step() does at most one HTTP
// exchange and says what comes next (go on at once, wait so long, done,
// failed), so the worker never sleeps and a host timer drives the waits.
//
//   Directory → Account ─┬──────────────→ NewOrder → Authorizations ⇄ Challenge
//                        ├→ FindAccount ─┤                 ↑              ↓
//                        └→ NewAccount ──┘                 └── PollAuthorization
//   Authorizations (all valid) → Finalize → PollOrder → Download → Store → Done
//   any state → Failed
#include <cstdint>
#include <memory>
#include <optional>
#include <rport/plugin.hpp>
#include <set>
#include <string>
#include <vector>

#include "AcmeClient.h"
#include "AcmeFailure.h"
#include "AcmeSettings.h"
#include "CertificateStorage.h"
#include "ChallengeResponder.h"
#include "PrivateKey.h"
#include "Problem.h"

namespace rport::plugins::acme {

enum class OrderState {
    Directory,          // read the directory (unless recently read)
    Account,            // decide: stored account, find one, or create one
    FindAccount,        // newAccount with onlyReturnExisting (a stored key without URL)
    NewAccount,         // newAccount: create it
    NewOrder,           // newOrder for the name
    Authorizations,     // fetch the next authorization, choose its challenge
    Challenge,          // publish the answer, tell the CA to validate ({})
    PollAuthorization,  // until the authorization is valid or invalid
    Finalize,           // CSR for a fresh key
    PollOrder,          // until the order is valid
    Download,           // the PEM chain
    Store,              // write it to the state directory
    Done,
    Failed,
};

const char* orderStateName(OrderState state);

struct OrderStep {
    enum Kind { Continue, Wait, Done, Failed };
    Kind kind = Continue;
    int64_t waitMs = 0;
};

class OrderMachine {
public:
    // Polls start this short and double up to the cap, unless the CA sends
    // Retry-After; a poll phase gives up after the limit.
    static constexpr int64_t kFirstPollMs = 100;
    static constexpr int64_t kPollCapMs = 5000;
    static constexpr int64_t kPollLimitMs = 10 * 60 * 1000;
    // The directory is read again for an order when older than this.
    static constexpr int64_t kDirectoryMaxAgeMs = 12LL * 3600 * 1000;
    // Waits while another instance holds account.lock.
    static constexpr int64_t kAccountLockWaitMs = 500;

    // replaces: the ARI id of the certificate this order replaces, or "".
    OrderMachine(const AcmeSettings& settings, AcmeClient& client,
                 const CertificateStorage& storage, ChallengeResponder& responder,
                 rport::sdk::Host host, std::string replaces);
    ~OrderMachine();
    OrderMachine(const OrderMachine&) = delete;
    OrderMachine& operator=(const OrderMachine&) = delete;

    OrderStep step();

    OrderState state() const { return _state; }
    // What it is doing now, in plain words (for the status report).
    std::string activity() const;
    // After Done: the chain and key, as stored (or not: see storeError()).
    const StoredPair& issued() const { return _issued; }
    // After Done: why writing the issued pair failed; "" when it is stored.
    // The certificate is good all the same: serve it, and write it later.
    const std::string& storeError() const { return _storeError; }
    // After Failed: why.
    const AcmeFailure& failure() const { return *_failure; }

private:
    OrderStep directoryStep();
    OrderStep accountStep();
    OrderStep findAccountStep();
    OrderStep newAccountStep();
    OrderStep newOrderStep();
    OrderStep authorizationsStep();
    OrderStep challengeStep();
    OrderStep pollAuthorizationStep();
    OrderStep finalizeStep();
    OrderStep pollOrderStep();
    OrderStep downloadStep();
    OrderStep storeStep();

    OrderStep go(OrderState next);
    OrderStep fail(const AcmeFailure& failure);
    [[noreturn]] void throwProblem(const HttpResult& response, const std::string& doing,
                                   const std::string& challenge = "");
    ProblemContext problemContext(const std::string& challenge) const;
    void startPolling();
    // Waits before polling url again: the CA's Retry-After, else the next
    // doubling of the poll delay.
    OrderStep pollAgain(const HttpResult& response, const std::string& url,
                        const std::string& what);
    void readOrder(const HttpResult& response);
    void finishAccount(const std::string& url, bool created);
    void debug(const std::string& text) const { _host.debug(text); }

    const AcmeSettings& _settings;
    AcmeClient& _client;
    const CertificateStorage& _storage;
    ChallengeResponder& _responder;
    rport::sdk::Host _host;
    std::string _replaces;

    OrderState _state = OrderState::Directory;
    std::unique_ptr<FileLock> _accountLock;
    bool _ignoreStoredAccountUrl = false;
    bool _accountRetried = false;

    std::string _orderUrl;
    std::string _orderStatus;
    std::vector<std::string> _authorizations;
    std::string _finalizeUrl;
    std::string _certificateUrl;
    size_t _authorizationIndex = 0;
    struct Chosen {
        ChallengeType type = ChallengeType::Http01;
        std::string url;
        std::string token;
    } _challenge;
    std::set<ChallengeType> _unusable;  // types the host said it cannot answer

    std::optional<PrivateKey> _certificateKey;
    bool _finalized = false;
    int64_t _pollDelayMs = kFirstPollMs;
    int64_t _pollStartedMs = 0;

    StoredPair _issued;
    std::string _storeError;
    std::optional<AcmeFailure> _failure;
};

}  // namespace rport::plugins::acme
