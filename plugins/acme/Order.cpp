#include "Order.h"

#include <algorithm>
#include <sstream>

#include "Base64Url.h"
#include "CertificateInfo.h"
#include "CertificateRequest.h"
#include "Duration.h"
#include "JsonReader.h"
#include "JsonWriter.h"
#include "Jws.h"
#include "LogText.h"
#include "RetryAfter.h"
#include "TimeText.h"

namespace rport::plugins::acme {
namespace {

std::string joinTypes(const std::vector<std::string>& types) {
    std::string out;
    for (const auto& t : types) out += (out.empty() ? "" : ", ") + printable(t, 40);
    return out.empty() ? "none" : out;
}

std::string allowedList(const std::vector<ChallengeType>& types) {
    std::string out;
    for (ChallengeType t : types)
        out += std::string(out.empty() ? "" : ", ") + challengeTypeName(t);
    return out;
}

std::optional<ChallengeType> challengeTypeOf(const std::string& name) {
    if (name == "http-01") return ChallengeType::Http01;
    if (name == "tls-alpn-01") return ChallengeType::TlsAlpn01;
    return std::nullopt;
}

}  // namespace

const char* orderStateName(OrderState state) {
    switch (state) {
        case OrderState::Directory:
            return "Directory";
        case OrderState::Account:
            return "Account";
        case OrderState::FindAccount:
            return "FindAccount";
        case OrderState::NewAccount:
            return "NewAccount";
        case OrderState::NewOrder:
            return "NewOrder";
        case OrderState::Authorizations:
            return "Authorizations";
        case OrderState::Challenge:
            return "Challenge";
        case OrderState::PollAuthorization:
            return "PollAuthorization";
        case OrderState::Finalize:
            return "Finalize";
        case OrderState::PollOrder:
            return "PollOrder";
        case OrderState::Download:
            return "Download";
        case OrderState::Store:
            return "Store";
        case OrderState::Done:
            return "Done";
        case OrderState::Failed:
            return "Failed";
    }
    return "?";
}

OrderMachine::OrderMachine(const AcmeSettings& settings, AcmeClient& client,
                           const CertificateStorage& storage, ChallengeResponder& responder,
                           rport::sdk::Host host, std::string replaces)
    : _settings(settings),
      _client(client),
      _storage(storage),
      _responder(responder),
      _host(host),
      _replaces(std::move(replaces)) {}

OrderMachine::~OrderMachine() { _responder.withdrawAll(); }

std::string OrderMachine::activity() const {
    switch (_state) {
        case OrderState::Directory:
            return "reading the ACME directory " + _settings.directoryUrl;
        case OrderState::Account:
        case OrderState::FindAccount:
        case OrderState::NewAccount:
            return "setting up the ACME account";
        case OrderState::NewOrder:
            return "placing the order";
        case OrderState::Authorizations:
            return "reading the authorizations";
        case OrderState::Challenge:
            return std::string("answering the ") + challengeTypeName(_challenge.type) +
                   " challenge";
        case OrderState::PollAuthorization:
            return "waiting for the CA to validate " + _settings.name + " (" +
                   challengeTypeName(_challenge.type) + ")";
        case OrderState::Finalize:
            return "sending the certificate request";
        case OrderState::PollOrder:
            return "waiting for the CA to issue the certificate";
        case OrderState::Download:
            return "downloading the certificate";
        case OrderState::Store:
            return "storing the certificate";
        case OrderState::Done:
            return "done";
        case OrderState::Failed:
            return "failed";
    }
    return "";
}

OrderStep OrderMachine::go(OrderState next) {
    _state = next;
    return OrderStep{OrderStep::Continue, 0};
}

OrderStep OrderMachine::fail(const AcmeFailure& failure) {
    _failure = failure;
    _state = OrderState::Failed;
    _responder.withdrawAll();
    _accountLock.reset();
    return OrderStep{OrderStep::Failed, 0};
}

OrderStep OrderMachine::step() {
    try {
        switch (_state) {
            case OrderState::Directory:
                return directoryStep();
            case OrderState::Account:
                return accountStep();
            case OrderState::FindAccount:
                return findAccountStep();
            case OrderState::NewAccount:
                return newAccountStep();
            case OrderState::NewOrder:
                return newOrderStep();
            case OrderState::Authorizations:
                return authorizationsStep();
            case OrderState::Challenge:
                return challengeStep();
            case OrderState::PollAuthorization:
                return pollAuthorizationStep();
            case OrderState::Finalize:
                return finalizeStep();
            case OrderState::PollOrder:
                return pollOrderStep();
            case OrderState::Download:
                return downloadStep();
            case OrderState::Store:
                return storeStep();
            case OrderState::Done:
                return OrderStep{OrderStep::Done, 0};
            case OrderState::Failed:
                return OrderStep{OrderStep::Failed, 0};
        }
    } catch (const AcmeFailure& e) {
        return fail(e);
    } catch (const TransportError& e) {
        return fail(AcmeFailure(e.aborted() ? std::string("stopped")
                                            : "cannot reach the CA: " + std::string(e.what())));
    } catch (const StorageError& e) {
        return fail(AcmeFailure(std::string("cannot store ACME data: ") + e.what(), true));
    } catch (const rport::sdk::Error& e) {
        if (e.code() == RPORT_E_UNAVAILABLE)
            return fail(AcmeFailure::hostClosing(std::string("rportd is closing: ") + e.what()));
        return fail(AcmeFailure(std::string("rportd refused: ") + e.what()));
    } catch (const std::exception& e) {
        return fail(
            AcmeFailure(std::string("unexpected error while ") + activity() + ": " + e.what()));
    }
    return fail(AcmeFailure("unknown order state"));
}

ProblemContext OrderMachine::problemContext(const std::string& challenge) const {
    ProblemContext c;
    c.name = _settings.name;
    c.challenge = challenge;
    c.httpPort = _settings.httpPort;
    c.directoryUrl = _settings.directoryUrl;
    c.email = _settings.email;
    return c;
}

void OrderMachine::throwProblem(const HttpResult& response, const std::string& doing,
                                const std::string& challenge) {
    const int64_t now = nowMs() / 1000;
    if (auto problem = Problem::fromResponse(response, now))
        throw AcmeFailure(doing + ": " + explainProblem(*problem, problemContext(challenge)),
                          problemNeedsOperator(*problem), problem->retryAfterSeconds,
                          problem->shortType());
    throw AcmeFailure(
        doing + ": the CA answered HTTP " + std::to_string(response.status) + " from " +
            printable(response.url) +
            (response.body.empty() ? std::string() : " (" + printable(response.body, 200) + ")"),
        false, parseRetryAfter(response.retryAfter, now));
}

void OrderMachine::startPolling() {
    _pollDelayMs = kFirstPollMs;
    _pollStartedMs = nowMs();
}

OrderStep OrderMachine::pollAgain(const HttpResult& response, const std::string& url,
                                  const std::string& what) {
    if (nowMs() - _pollStartedMs > kPollLimitMs)
        throw AcmeFailure("the CA did not finish " + what + " within " +
                          formatDuration(kPollLimitMs));
    int64_t delay;
    if (auto retryAfter = parseRetryAfter(response.retryAfter, nowMs() / 1000)) {
        // The CA's word wins, within reason.
        delay = std::clamp<int64_t>(*retryAfter * 1000, kFirstPollMs, kPollLimitMs);
    } else {
        delay = _pollDelayMs;
        _pollDelayMs = std::min(_pollDelayMs * 2, kPollCapMs);
    }
    debug("polling " + printable(url) + " again in " + formatDuration(delay) + " (" + what + ")");
    return OrderStep{OrderStep::Wait, delay};
}

// ---- the directory and the account -------------------------------------------------

OrderStep OrderMachine::directoryStep() {
    if (_client.hasDirectory(nowMs(), kDirectoryMaxAgeMs)) return go(OrderState::Account);
    _client.fetchDirectory();
    return go(OrderState::Account);
}

OrderStep OrderMachine::accountStep() {
    if (!_client.accountUrl().empty()) return go(OrderState::NewOrder);
    if (!_accountLock && !_ignoreStoredAccountUrl) {
        // A stored account needs no lock: it is only ever written whole.
        const auto keyPem = _storage.loadAccountKeyPem();
        const auto url = _storage.loadAccountUrl();
        if (keyPem && url) {
            try {
                _client.setKey(AccountKey::fromPem(*keyPem));
                finishAccount(*url, false);
                return go(OrderState::NewOrder);
            } catch (const CryptoError&) {
                // Said in plain words below, under the lock.
            }
        }
    }
    if (!_accountLock) {
        _accountLock = _storage.tryLockAccount();
        if (!_accountLock) {
            debug("another instance holds " + _storage.folder() +
                  "/account.lock; checking again in " + formatDuration(kAccountLockWaitMs));
            return OrderStep{OrderStep::Wait, kAccountLockWaitMs};
        }
    }
    // Under the lock: whoever held it before may have stored the account.
    const auto keyPem = _storage.loadAccountKeyPem();
    const auto url = _storage.loadAccountUrl();
    if (keyPem) {
        try {
            _client.setKey(AccountKey::fromPem(*keyPem));
        } catch (const std::exception& e) {
            throw AcmeFailure("the account key " + _storage.accountKeyPath() + " cannot be used (" +
                                  e.what() + "); move it away and rportd makes a new account",
                              true);
        }
        if (url && !_ignoreStoredAccountUrl) {
            finishAccount(*url, false);
            return go(OrderState::NewOrder);
        }
        return go(OrderState::FindAccount);
    }
    if (_client.directory().externalAccountRequired && !_settings.hasEab())
        throw AcmeFailure(
            "the CA requires an External Account Binding for new accounts. Get a key id and an "
            "HMAC "
            "key from the CA and set [acme] eab_kid and eab_hmac_key.",
            true, std::nullopt, "externalAccountRequired");
    AccountKey key = AccountKey::generate();
    _storage.saveAccountKeyPem(key.pem());
    _client.setKey(std::move(key));
    debug("made a new account key " + _storage.accountKeyPath());
    return go(OrderState::NewAccount);
}

void OrderMachine::finishAccount(const std::string& url, bool created) {
    _client.setAccountUrl(url);
    _ignoreStoredAccountUrl = false;
    _accountLock.reset();
    if (created) {
        const std::string tos = _client.directory().termsOfService;
        _host.info(
            "created ACME account " + printable(url) + " at " + _settings.directoryUrl +
            (tos.empty() ? std::string() : " (terms of service agreed: " + printable(tos) + ")"));
    } else {
        debug("using ACME account " + printable(url));
    }
}

OrderStep OrderMachine::findAccountStep() {
    const HttpResult r =
        _client.post(_client.directory().newAccount,
                     JsonObject().boolean("onlyReturnExisting", true).text(), true);
    if (r.ok()) {
        if (r.location.empty())
            throw AcmeFailure("the CA found the account but sent no Location header");
        _storage.saveAccountUrl(r.location);
        _host.info("found the existing ACME account " + printable(r.location) +
                   " for the stored key");
        finishAccount(r.location, false);
        return go(OrderState::NewOrder);
    }
    auto problem = Problem::fromResponse(r, nowMs() / 1000);
    if (problem && problem->is("accountDoesNotExist")) {
        debug("the CA knows no account for the stored key; creating one");
        return go(OrderState::NewAccount);
    }
    throwProblem(r, "looking up the ACME account");
}

OrderStep OrderMachine::newAccountStep() {
    JsonObject payload;
    payload.boolean("termsOfServiceAgreed", true);
    if (!_settings.email.empty())
        payload.raw("contact", jsonStringArray({"mailto:" + _settings.email}));
    if (_settings.hasEab())
        payload.raw("externalAccountBinding",
                    externalAccountBinding(_client.key(), _settings.eabKid, _settings.eabMacKey,
                                           _client.directory().newAccount));
    const HttpResult r = _client.post(_client.directory().newAccount, payload.text(), true);
    if (!r.ok()) {
        auto problem = Problem::fromResponse(r, nowMs() / 1000);
        if (_settings.hasEab() && problem &&
            (problem->is("unauthorized") || problem->is("malformed")))
            throw AcmeFailure(
                "creating the ACME account: " + explainProblem(*problem, problemContext("")) +
                    " Check that eab_kid and eab_hmac_key are exactly what the CA gave.",
                true, problem->retryAfterSeconds, problem->shortType());
        throwProblem(r, "creating the ACME account");
    }
    if (r.location.empty())
        throw AcmeFailure("the CA created the account but sent no Location header");
    _storage.saveAccountUrl(r.location);
    finishAccount(r.location, r.status == 201);
    return go(OrderState::NewOrder);
}

// ---- the order ------------------------------------------------------------------

void OrderMachine::readOrder(const HttpResult& r) {
    const auto order = parseJsonObject(r.body, "the order");
    _orderStatus = stringMember(order, "status");
    const auto authorizations = stringArrayMember(order, "authorizations");
    if (!authorizations.empty()) _authorizations = authorizations;
    const std::string finalize = stringMember(order, "finalize");
    if (!finalize.empty()) _finalizeUrl = finalize;
    const std::string certificate = stringMember(order, "certificate");
    if (!certificate.empty()) _certificateUrl = certificate;
    if (_orderStatus == "invalid") {
        const auto error = objectMember(order, "error");
        std::string why = "the CA marked the order invalid";
        if (error) {
            std::ostringstream text;
            error->stringify(text);
            why += ": " + explainProblem(Problem::fromJson(text.str()), problemContext(""));
        }
        throw AcmeFailure(why);
    }
}

OrderStep OrderMachine::newOrderStep() {
    JsonObject payload;
    payload.raw(
        "identifiers",
        "[" + JsonObject().string("type", "dns").string("value", _settings.name).text() + "]");
    if (!_replaces.empty()) payload.string("replaces", _replaces);
    const HttpResult r = _client.post(_client.directory().newOrder, payload.text());
    if (!r.ok()) {
        auto problem = Problem::fromResponse(r, nowMs() / 1000);
        if (problem && problem->is("accountDoesNotExist") && !_accountRetried) {
            // The stored account URL is stale (the CA forgot it, or it was
            // deactivated): look the key up again.
            debug("the CA does not know account " + printable(_client.accountUrl()) +
                  "; looking it up again");
            _accountRetried = true;
            _ignoreStoredAccountUrl = true;
            _client.setAccountUrl("");
            return go(OrderState::Account);
        }
        if (!_replaces.empty() && problem && !problem->is("rateLimited") &&
            !problem->is("badNonce") && r.status >= 400 && r.status < 500) {
            // RFC 9773 §5: a CA may refuse "replaces" (alreadyReplaced, a
            // certificate from another account); order without it.
            debug("the CA refused \"replaces\": " + printable(problem->detail) +
                  "; ordering without it");
            _replaces.clear();
            return go(OrderState::NewOrder);
        }
        throwProblem(r, "placing the order");
    }
    if (r.location.empty())
        throw AcmeFailure("the CA accepted the order but sent no Location header");
    _orderUrl = r.location;
    readOrder(r);
    debug("order " + printable(_orderUrl) + " is " + printable(_orderStatus, 40));
    if (_orderStatus == "ready") return go(OrderState::Finalize);
    if (_orderStatus == "valid" || _orderStatus == "processing")
        // A reused order finalized by someone else (an earlier attempt that
        // was cut short): its certificate is for a key rportd does not have.
        // Each attempt is a new OrderMachine, so the next one orders anew.
        throw AcmeFailure("the CA returned an order that was already finalized (" +
                          printable(_orderUrl) + " is " + printable(_orderStatus, 40) +
                          "); a new order will be made");
    if (_authorizations.empty()) throw AcmeFailure("the CA's order lists no authorizations");
    return go(OrderState::Authorizations);
}

OrderStep OrderMachine::authorizationsStep() {
    if (_authorizationIndex >= _authorizations.size()) return go(OrderState::Finalize);
    const std::string& url = _authorizations[_authorizationIndex];
    const HttpResult r = _client.post(url, "");
    if (!r.ok()) throwProblem(r, "reading the authorization");
    const auto authz = parseJsonObject(r.body, "the authorization");
    const std::string status = stringMember(authz, "status");
    const std::string identifier = stringMember(objectMember(authz, "identifier"), "value");
    if (status == "valid") {
        debug("the authorization for " + printable(identifier, 256) + " is already valid");
        ++_authorizationIndex;
        return go(OrderState::Authorizations);
    }
    if (status != "pending")
        throw AcmeFailure("the CA's authorization for " + printable(identifier, 256) + " is " +
                          printable(status, 40));

    std::vector<std::string> offered;
    std::optional<Chosen> chosen;
    const auto challenges = objectArrayMember(authz, "challenges");
    for (const auto& c : challenges) offered.push_back(stringMember(c, "type"));
    for (ChallengeType wanted : _settings.challenges) {
        if (_unusable.count(wanted)) continue;
        for (const auto& c : challenges) {
            if (challengeTypeOf(stringMember(c, "type")) != wanted) continue;
            chosen = Chosen{wanted, stringMember(c, "url"), stringMember(c, "token")};
            break;
        }
        if (chosen) break;
    }
    if (!chosen) {
        std::vector<std::string> usable;
        for (ChallengeType t : _settings.challenges)
            if (!_unusable.count(t)) usable.push_back(challengeTypeName(t));
        throw AcmeFailure("the CA offers the challenges " + joinTypes(offered) + " for " +
                              _settings.name + ", and rportd may answer only " +
                              (usable.empty() ? "none" : joinTypes(usable)) +
                              " (setting 'challenges' is \"" + allowedList(_settings.challenges) +
                              "\"). Allow one of the CA's challenges that rportd can answer.",
                          true);
    }
    if (chosen->url.empty()) throw AcmeFailure("the CA's challenge has no URL");
    _challenge = *chosen;
    return go(OrderState::Challenge);
}

OrderStep OrderMachine::challengeStep() {
    const std::string keyAuthorization = _challenge.token + "." + _client.key().thumbprint();
    try {
        _responder.publish(_challenge.type, _settings.name, _challenge.token, keyAuthorization);
    } catch (const rport::sdk::Error& e) {
        if (e.code() != RPORT_E_UNSUPPORTED) throw;
        // rportd cannot answer this type (no listener for it): try the next
        // type the CA offers, if any.
        _unusable.insert(_challenge.type);
        _host.warning(std::string("rportd cannot answer ") + challengeTypeName(_challenge.type) +
                      " (" + e.what() + "); trying another challenge");
        return go(OrderState::Authorizations);
    }
    _host.info(std::string("answering the ") + challengeTypeName(_challenge.type) +
               " challenge for " + _settings.name);
    const HttpResult r = _client.post(_challenge.url, "{}");
    if (!r.ok()) throwProblem(r, "starting the validation", challengeTypeName(_challenge.type));
    const auto challenge = parseJsonObject(r.body, "the challenge");
    const std::string status = stringMember(challenge, "status");
    if (status == "valid") {
        _responder.withdrawAll();
        ++_authorizationIndex;
        return go(OrderState::Authorizations);
    }
    startPolling();
    _state = OrderState::PollAuthorization;
    return pollAgain(r, _authorizations[_authorizationIndex], "validating " + _settings.name);
}

OrderStep OrderMachine::pollAuthorizationStep() {
    const std::string& url = _authorizations[_authorizationIndex];
    const HttpResult r = _client.post(url, "");
    if (!r.ok()) throwProblem(r, "checking the validation", challengeTypeName(_challenge.type));
    const auto authz = parseJsonObject(r.body, "the authorization");
    const std::string status = stringMember(authz, "status");
    if (status == "valid") {
        _responder.withdrawAll();
        _host.info(_settings.name + " validated by the CA (" + challengeTypeName(_challenge.type) +
                   ")");
        ++_authorizationIndex;
        return go(OrderState::Authorizations);
    }
    if (status == "pending" || status == "processing")
        return pollAgain(r, url, "validating " + _settings.name);
    _responder.withdrawAll();
    // The reason is in the error of the challenge we answered.
    for (const auto& c : objectArrayMember(authz, "challenges")) {
        const auto error = objectMember(c, "error");
        if (!error) continue;
        std::ostringstream text;
        error->stringify(text);
        const Problem problem = Problem::fromJson(text.str());
        const std::string type = stringMember(c, "type");
        throw AcmeFailure("validation of " + _settings.name + " failed: " +
                              explainProblem(problem, problemContext(printable(type, 40))),
                          problemNeedsOperator(problem), std::nullopt, problem.shortType());
    }
    throw AcmeFailure("the CA's authorization for " + _settings.name + " became " +
                      printable(status, 40) + " without saying why");
}

// ---- finalize and download -----------------------------------------------------------

OrderStep OrderMachine::finalizeStep() {
    if (_finalizeUrl.empty()) throw AcmeFailure("the CA's order has no finalize URL");
    if (!_certificateKey) _certificateKey = PrivateKey::generate(_settings.keyType);
    const std::string csr =
        base64UrlEncode(certificateRequestDer(*_certificateKey, _settings.name));
    const HttpResult r = _client.post(_finalizeUrl, JsonObject().string("csr", csr).text());
    if (!r.ok()) {
        auto problem = Problem::fromResponse(r, nowMs() / 1000);
        if (problem && problem->is("orderNotReady")) {
            startPolling();
            _state = OrderState::PollOrder;
            return pollAgain(r, _orderUrl, "preparing the order");
        }
        throwProblem(r, "finalizing the order");
    }
    _finalized = true;
    readOrder(r);
    if (_orderStatus == "valid" && !_certificateUrl.empty()) return go(OrderState::Download);
    startPolling();
    _state = OrderState::PollOrder;
    return pollAgain(r, _orderUrl, "issuing the certificate");
}

OrderStep OrderMachine::pollOrderStep() {
    const HttpResult r = _client.post(_orderUrl, "");
    if (!r.ok()) throwProblem(r, "checking the order");
    readOrder(r);
    if (_orderStatus == "valid") {
        if (_certificateUrl.empty())
            throw AcmeFailure("the CA's valid order has no certificate URL");
        return go(OrderState::Download);
    }
    if (_orderStatus == "ready" && !_finalized) return go(OrderState::Finalize);
    return pollAgain(r, _orderUrl, "issuing the certificate");
}

OrderStep OrderMachine::downloadStep() {
    if (!_certificateKey)
        throw AcmeFailure(
            "the CA returned an order that was already finalized; a new order will be made");
    const HttpResult r =
        _client.post(_certificateUrl, "", false, "application/pem-certificate-chain");
    if (!r.ok()) throwProblem(r, "downloading the certificate");
    CertificateInfo info;
    try {
        info = inspectChain(r.body);
    } catch (const CertificateError& e) {
        throw AcmeFailure(std::string("the CA sent no usable PEM certificate chain (") + e.what() +
                          ")");
    }
    const rport::sdk::SecretString keyPem =
        _certificateKey ? _certificateKey->pem() : rport::sdk::SecretString();
    if (!keyMatchesLeaf(r.body, keyPem))
        throw AcmeFailure("the certificate the CA sent is not for the key rportd made");
    if (!info.coversName(_settings.name))
        throw AcmeFailure("the certificate the CA sent does not name " + _settings.name);
    const std::string validity = issuedValidityProblem(info, nowMs() / 1000);
    if (!validity.empty()) throw AcmeFailure(validity);
    _issued = StoredPair{r.body, keyPem};
    return go(OrderState::Store);
}

OrderStep OrderMachine::storeStep() {
    // The certificate is issued: a failed write must not throw it away (a
    // new order would count against the CA's duplicate-certificate limit).
    try {
        _storage.saveCertificate(_settings.name, _issued);
    } catch (const StorageError& e) {
        _storeError = e.what();
    }
    _state = OrderState::Done;
    return OrderStep{OrderStep::Done, 0};
}

}  // namespace rport::plugins::acme
