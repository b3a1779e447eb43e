#include "Problem.h"

#include "Duration.h"
#include "JsonReader.h"
#include "LogText.h"
#include "RetryAfter.h"

namespace rport::plugins::acme {
namespace {

const std::string kAcmeErrorPrefix = "urn:ietf:params:acme:error:";
const std::string kLetsEncryptStaging = "https://acme-staging-v02.api.letsencrypt.org/directory";

std::string shortOf(const std::string& type) {
    return type.compare(0, kAcmeErrorPrefix.size(), kAcmeErrorPrefix) == 0
               ? type.substr(kAcmeErrorPrefix.size())
               : type;
}

Problem fromObject(const Poco::JSON::Object::Ptr& object) {
    Problem p;
    p.type = stringMember(object, "type");
    if (p.type.empty()) p.type = "about:blank";
    p.detail = stringMember(object, "detail");
    p.instance = stringMember(object, "instance");
    if (auto status = integerMember(object, "status")) p.status = static_cast<int>(*status);
    for (const auto& sub : objectArrayMember(object, "subproblems")) {
        Subproblem s;
        s.type = stringMember(sub, "type");
        s.detail = stringMember(sub, "detail");
        s.identifier = stringMember(objectMember(sub, "identifier"), "value");
        p.subproblems.push_back(std::move(s));
    }
    return p;
}

// "" or " (the CA says: …)"
std::string said(const Problem& p) {
    return p.detail.empty() ? std::string() : " (the CA says: " + printable(p.detail) + ")";
}

bool isStaging(const ProblemContext& c) {
    return c.directoryUrl.find("staging") != std::string::npos;
}

// Where the CA connects for the challenge, and what must be true for it to
// reach rportd.
std::string portAdvice(const ProblemContext& c) {
    const std::string who = c.name.empty() ? "the name" : c.name;
    if (c.challenge == "tls-alpn-01")
        return "For tls-alpn-01 the CA connects to port 443 of " + who +
               ": port 443 must reach rportd's API listener (forward it there, open the firewall), "
               "and " +
               who + " must resolve to this server.";
    if (c.challenge == "http-01")
        return "For http-01 the CA connects to port 80 of " + who +
               ": port 80 must reach rportd's acme_http_port (" +
               (c.httpPort.empty() || c.httpPort == "0" ? std::string("set [server] acme_http_port")
                                                        : "port " + c.httpPort) +
               ") through port forwarding and firewalls, and " + who +
               " must resolve to this server.";
    return "The CA must reach " + who +
           " on port 80 (http-01, rportd's acme_http_port) or 443 (tls-alpn-01).";
}

std::string explainOne(const Problem& p, const ProblemContext& c) {
    const std::string t = p.shortType();
    const std::string who = c.name.empty() ? "the name" : c.name;
    if (t == "rateLimited") {
        std::string s = "the CA refused because a rate limit was reached" + said(p) + ".";
        if (p.retryAfterSeconds)
            s += " The CA asks to wait " + formatDuration(*p.retryAfterSeconds * 1000) +
                 " before trying again.";
        if (!isStaging(c))
            s += " While testing, use the staging directory (directory_url = \"" +
                 kLetsEncryptStaging + "\" for Let's Encrypt), whose limits are much higher.";
        return s;
    }
    if (t == "connection")
        return "the CA could not connect to " + who +
               (c.challenge.empty() ? "" : " for the " + c.challenge + " challenge") + said(p) +
               ". " + portAdvice(c);
    if (t == "dns")
        return "the CA could not look up " + who + " in DNS" + said(p) + ". Check that " + who +
               " has a public A or AAAA record pointing to this server. " + portAdvice(c);
    if (t == "unauthorized" && !c.challenge.empty())
        return "the CA reached " + who + " but did not receive the expected " + c.challenge +
               " answer" + said(p) + "; another server may be answering there. " + portAdvice(c);
    if (t == "incorrectResponse")
        return "the CA reached " + who + " but the " +
               (c.challenge.empty() ? std::string("challenge") : c.challenge) +
               " answer was wrong" + said(p) + "; another server may be answering there. " +
               portAdvice(c);
    if (t == "tls")
        return "the TLS connection the CA made to " + who + " failed" + said(p) + ". " +
               portAdvice(c);
    if (t == "caa")
        return "a CAA record in the DNS of " + who + " does not allow this CA to issue" + said(p) +
               ". Add the CA's domain to the CAA record (\"letsencrypt.org\" for Let's Encrypt) or "
               "remove the record.";
    if (t == "rejectedIdentifier" || t == "unsupportedIdentifier")
        return "the CA will not issue a certificate for " + who + said(p) +
               ". Use a public DNS name this CA accepts (no IP addresses, no internal names).";
    if (t == "externalAccountRequired")
        return "the CA requires an External Account Binding" + said(p) +
               ". Get a key id and an HMAC key from the CA and set [acme] eab_kid and "
               "eab_hmac_key.";
    if (t == "invalidContact" || t == "unsupportedContact")
        return "the CA refuses the contact address" +
               (c.email.empty() ? std::string() : " \"" + c.email + "\"") + said(p) +
               ". Fix the email setting or remove it.";
    if (t == "userActionRequired")
        return "the CA needs you to do something first" + said(p) +
               (p.instance.empty() ? std::string(".") : ": see " + printable(p.instance) + ".") +
               " This is usually agreeing to new terms of service.";
    if (t == "unauthorized") return "the CA refused the request as unauthorized" + said(p) + ".";
    if (t == "accountDoesNotExist")
        return "the CA knows no account for rportd's account key" + said(p) + ".";
    if (t == "badCSR")
        return "the CA refused rportd's certificate signing request" + said(p) +
               ". Try key_type = \"ecdsa\" or \"rsa\", whichever this CA accepts.";
    if (t == "badPublicKey" || t == "badSignatureAlgorithm")
        return "the CA does not accept rportd's key or signature algorithm" + said(p) + ".";
    if (t == "serverInternal")
        return "the CA had an internal error" + said(p) + "; rportd will try again.";
    if (t == "malformed")
        return "the CA rejected a request as malformed" + said(p) +
               ". This points to an incompatibility between rportd and this CA; please report it.";
    if (t == "orderNotReady")
        return "the CA says the order is not ready to be finalized" + said(p) + ".";
    if (t == "badNonce")
        return "the CA kept rejecting rportd's anti-replay nonces" + said(p) +
               "; rportd will try again.";
    if (t == "compound") return "the CA reported several problems" + said(p) + ":";
    return "the CA answered " + (p.status ? std::to_string(p.status) + " " : std::string()) +
           printable(t) + said(p) + ".";
}

}  // namespace

std::string Problem::shortType() const { return shortOf(type); }

std::optional<Problem> Problem::fromResponse(const HttpResult& response, int64_t nowUnix) {
    if (response.ok()) return std::nullopt;
    std::optional<Problem> p;
    try {
        auto object = parseJsonObject(response.body, "the error document");
        if (response.isProblem() || object->has("type")) p = fromObject(object);
    } catch (const JsonError&) {
    }
    if (!p) return std::nullopt;
    if (p->status == 0) p->status = response.status;
    p->retryAfterSeconds = parseRetryAfter(response.retryAfter, nowUnix);
    return p;
}

Problem Problem::fromJson(const std::string& json) {
    try {
        return fromObject(parseJsonObject(json, "the error"));
    } catch (const JsonError&) {
        Problem p;
        p.type = "about:blank";
        p.detail = json;
        return p;
    }
}

std::string explainProblem(const Problem& problem, const ProblemContext& context) {
    std::string text = explainOne(problem, context);
    for (const Subproblem& sub : problem.subproblems) {
        Problem inner;
        inner.type = sub.type;
        inner.detail = sub.detail;
        ProblemContext innerContext = context;
        if (!sub.identifier.empty()) innerContext.name = printable(sub.identifier, 256);
        text += " [" + innerContext.name + ": " + explainOne(inner, innerContext) + "]";
    }
    return text;
}

bool problemNeedsOperator(const Problem& problem) {
    static const char* const needsOperator[] = {"caa",
                                                "rejectedIdentifier",
                                                "unsupportedIdentifier",
                                                "invalidContact",
                                                "unsupportedContact",
                                                "userActionRequired",
                                                "externalAccountRequired",
                                                "badCSR",
                                                "badPublicKey",
                                                "badSignatureAlgorithm"};
    const std::string t = problem.shortType();
    for (const char* n : needsOperator)
        if (t == n) return true;
    for (const Subproblem& sub : problem.subproblems) {
        Problem inner;
        inner.type = sub.type;
        if (problemNeedsOperator(inner)) return true;
    }
    return false;
}

}  // namespace rport::plugins::acme
