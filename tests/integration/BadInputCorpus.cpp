#include "BadInputCorpus.h"

#include <Poco/Base64Encoder.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <sstream>
#include <unordered_set>

namespace rport::test::badinput {

namespace {

using Lines = std::vector<std::string>;

// Every 4xx the API may give for a request that is wrong; 423 and 429 are
// missing on purpose: the main body runs with the login throttle off.
const std::set<int> kAnyClientError{400, 401, 403, 404, 405, 409, 410,
                                    411, 413, 414, 415, 417, 422, 431};

const std::vector<std::string> kMethods{"GET",     "HEAD",  "POST",     "PUT", "PATCH", "DELETE",
                                        "OPTIONS", "TRACE", "PROPFIND", "get", "BREW",  "M-SEARCH"};

// Path segments for {variables} that name nothing that exists, already
// percent-encoded as they go on the wire: SQL and LIKE metacharacters,
// traversal, NUL, invalid UTF-8, control and bidi characters, a long one.
const std::vector<std::string> kMissingIds{
    "nope",
    "%27%20OR%20%271%27%3D%271",
    "x%27%29%3B%20DROP%20TABLE%20clients_auth%3B--",
    "%2A",
    "*",
    "%25",
    "_",
    "c%25",
    "c_",
    "..",
    "..%2F..%2Fetc%2Fpasswd",
    "%2E%2E%2F%2E%2E%2Fetc%2Fshadow",
    "%00",
    "a%00b",
    "%FF%FE",
    "%C3%28",
    "%ED%A0%80",
    "%C0%AF",
    "%E2%80%AE",
    "a%0Ab",
    "%0D%0Ainjected%3A%201",
    "%1B%5B31m",
    "%22%5C",
    "%3Cscript%3E",
    std::string(300, 'x'),
};

std::string base64(const std::string& raw) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << raw;
    encoder.close();
    return out.str();
}

// One request with a Host header, the given header lines, and the body
// framed with Content-Length (when there is one).
std::string request(const std::string& method, const std::string& target, const Lines& headers,
                    const std::string& body = "", const std::string& version = "HTTP/1.1") {
    std::string out = method + " " + target + " " + version + "\r\nHost: 127.0.0.1\r\n";
    for (const auto& h : headers) out += h + "\r\n";
    if (!body.empty()) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    return out + "\r\n" + body;
}

// The pattern with every {variable} replaced by segment.
std::string instantiate(const std::string& pattern, const std::string& segment) {
    size_t open = pattern.find('{');
    if (open == std::string::npos) return pattern;
    size_t close = pattern.find('}', open);
    return pattern.substr(0, open) + segment + pattern.substr(close + 1);
}

std::string repeated(const std::string& text, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += text;
    return out;
}

std::string pathOnly(const std::string& target) { return target.substr(0, target.find('?')); }

bool hasVariable(const std::string& pattern) { return pattern.find('{') != std::string::npos; }

// The distinct patterns, in registration order.
std::vector<std::string> patterns() {
    std::vector<std::string> out;
    for (const auto& r : knownRoutes())
        if (std::find(out.begin(), out.end(), r.pattern) == out.end()) out.push_back(r.pattern);
    return out;
}

const KnownRoute* routeFor(const std::string& method, const std::string& pattern) {
    for (const auto& r : knownRoutes())
        if (r.pattern == pattern && r.method == method) return &r;
    // HEAD is served by the GET route.
    if (method == "HEAD") return routeFor("GET", pattern);
    return nullptr;
}

class Generator {
public:
    Generator(const Callers& callers, uint32_t seed) : _callers(callers), _random(seed) {
        _adminBasic = "Authorization: " + basicAuthorization("admin", callers.adminPassword);
        _viewerBasic = "Authorization: " + basicAuthorization("viewer", callers.viewerPassword);
        _adminBearer = "Authorization: Bearer " + callers.adminToken;
    }

    std::vector<BadRequest> run() {
        methodMatrix();
        badAuthorization();
        badForwardedFor();
        badListQueries();
        badClientAuthBodies();
        badLoginBodies();
        protocolErrors();
        return std::move(_out);
    }

private:
    void add(const std::string& category, std::string bytes, std::set<int> expected,
             bool head = false) {
        if (!_seen.insert(bytes).second) return;
        _out.push_back(BadRequest{category, std::move(bytes), std::move(expected), head});
    }

    template <typename T>
    const T& pick(const std::vector<T>& from) {
        return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(_random)];
    }

    // Every path, every method (taken or not), callers from none to admin.
    // Requests a caller could legitimately succeed with are left out.
    void methodMatrix() {
        const Lines callers{"",
                            "Authorization: " + basicAuthorization("admin", "wrong"),
                            "Authorization: Bearer undefined",
                            _adminBasic,
                            _adminBearer,
                            _viewerBasic};
        for (const auto& pattern : patterns()) {
            Lines segments = hasVariable(pattern) ? kMissingIds : Lines{""};
            for (const auto& segment : segments) {
                const std::string path = instantiate(pattern, segment);
                for (const auto& method : kMethods) {
                    const KnownRoute* route = routeFor(method, pattern);
                    for (const auto& caller : callers) {
                        Lines headers{"Connection: close"};
                        if (!caller.empty()) headers.push_back(caller);
                        std::set<int> expected;
                        if (route == nullptr)
                            expected = {405};
                        else if (!expectedForTakenMethod(*route, caller, hasVariable(pattern),
                                                         expected))
                            continue;
                        add("method-matrix", request(method, path, headers), expected,
                            method == "HEAD");
                    }
                }
            }
        }
    }

    // The answer to a body-less request to a route that takes the method;
    // false when the request would succeed (and is no bad input).
    bool expectedForTakenMethod(const KnownRoute& route, const std::string& caller, bool missingId,
                                std::set<int>& expected) const {
        const bool none = caller.empty();
        const bool badBasic = caller.find("Basic") != std::string::npos && caller != _adminBasic &&
                              caller != _viewerBasic;
        const bool malformedBearer = caller == "Authorization: Bearer undefined";
        const bool viewer = caller == _viewerBasic;
        if (route.pattern == "/api/v1/login") {
            if (route.method == "POST") {
                expected = {400};  // no body
                return true;
            }
            if (caller == _adminBasic || viewer) return false;  // a real login
            expected = {401};
            return true;
        }
        if (route.pattern == "/api/v1/logout") {
            if (caller == _adminBearer) return false;  // would end the suite's session
            expected = {400};
            return true;
        }
        if (none || badBasic) {
            expected = {401};
            return true;
        }
        if (malformedBearer) {
            expected = {400};
            return true;
        }
        if (viewer && route.access == Access::Administrators) {
            expected = {403};
            return true;
        }
        if (route.pattern == "/api/v1/me/token") {
            expected = {410};
            return true;
        }
        if (missingId) {
            expected = {404};
            return true;
        }
        if (route.method == "POST") {
            expected = {400};  // no body
            return true;
        }
        return false;  // a plain read by a valid caller
    }

    // Authorization values that must never let anyone in, on every route
    // that wants a caller.
    void badAuthorization() {
        const std::string& token = _callers.adminToken;
        std::string forged = token;
        forged.back() = forged.back() == 'A' ? 'B' : 'A';
        std::string tamperedPayload = token;
        size_t dot = tamperedPayload.find('.');
        tamperedPayload[dot + 2] = tamperedPayload[dot + 2] == 'a' ? 'b' : 'a';
        const std::string pw = _callers.adminPassword;
        // "alg":"none" with the admin's name and no signature.
        const std::string unsigned_ = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
                                      base64("{\"username\":\"admin\",\"session_id\":1}") + ".";
        const Lines values{
            "Basic",
            "Basic ",
            "Basic !!!!",
            "Basic " + base64("admin"),
            "Basic " + base64(":"),
            "Basic " + base64("admin:"),
            "Basic " + base64(":" + pw),
            "Basic " + base64("Admin:" + pw),
            "Basic " + base64("admin:" + pw + " "),
            "Basic " + base64(" admin:" + pw),
            "Basic " + base64("admin:" + pw.substr(0, pw.size() - 1)),
            "Basic " + base64(std::string("admin\0:", 7) + pw),
            "Basic " + base64("' OR '1'='1:' OR '1'='1"),
            "Basic " + base64("admin' --:x"),
            "Basic " + base64("admin\";--:x"),
            "Basic " + base64("*:*"),
            "Basic " + base64("%:%"),
            "Basic " + base64("_:_"),
            "Basic " + base64("adm_n:" + pw),
            "Basic " + base64("adm%:" + pw),
            "Basic " + base64("a*:" + pw),
            "Basic " + base64("admin:*"),
            "Basic " + base64("admin:%"),
            "Basic " + base64("\xff\xfe:\xc3\x28"),
            "Basic " + base64("a\nb:x\r\ny"),
            "Basic " + base64("\x1b[31m:x"),
            "Basic " + base64("../../etc/passwd:x"),
            "Basic " + base64(std::string(5000, 'a') + ":" + pw),
            "Bearer",
            "Bearer ",
            "Bearer undefined",
            "Bearer null",
            "Bearer a.b.c",
            "Bearer ..",
            "Bearer " + forged,
            "Bearer " + tamperedPayload,
            "Bearer " + token + "x",
            "Bearer " + token.substr(0, token.size() - 5),
            "Bearer " + unsigned_,
            "Bearer " + _callers.expiredToken,
            "Bearer " + _callers.revokedToken,
            "Bearer " + std::string(6000, 'A'),
            "Bearer %00",
            "Bearer ' OR 1=1 --",
            "Bearer *",
            "Digest username=\"admin\", realm=\"x\"",
            "Negotiate YWRtaW4=",
            "Token " + token,
            "",
            "admin:" + pw,
            "\xff\xfe",
        };
        for (const auto& route : knownRoutes()) {
            if (route.access == Access::Public) continue;
            const std::string path = instantiate(route.pattern, _callers.existingClientAuthId);
            for (const auto& value : values) {
                for (bool head : {false, true}) {
                    if (head && route.method != "GET") continue;
                    // A header value may hold obs-text (bytes >= 0x80) but no controls.
                    add("bad-authorization",
                        request(head ? "HEAD" : route.method, path,
                                {"Authorization: " + value, "Connection: close"}),
                        {400, 401}, head);
                }
            }
            // Two Authorization fields, both bad.
            add("bad-authorization",
                request(route.method, path,
                        {"Authorization: Bearer undefined", "Authorization: Basic !!",
                         "Connection: close"}),
                {400, 401});
        }
        // /login with a Basic that fails, and /logout with tokens it cannot revoke.
        for (size_t i = 0; i < values.size(); ++i) {
            const auto& value = values[i];
            if (value.rfind("Basic", 0) == 0)
                add("bad-authorization",
                    request("GET", "/api/v1/login",
                            {"Authorization: " + value, "Connection: close"}),
                    {401});
            add("bad-authorization",
                request("DELETE", "/api/v1/logout",
                        {"Authorization: " + value, "Connection: close"}),
                {400});
        }
        // A valid login that asks for a token lifetime it cannot have.
        for (const char* lifetime :
             {"abc", "0x10", "1e3", "99999999999999999999", "%00", "7776001", "%27"})
            for (const auto& caller : {_adminBasic, _viewerBasic})
                add("bad-authorization",
                    request("GET", std::string("/api/v1/login?token-lifetime=") + lifetime,
                            {caller, "Connection: close"}),
                    {400});
    }

    // X-Forwarded-For that is no list of addresses, from a trusted proxy
    // (the test's config trusts 127.0.0.1): the address it yields goes into
    // the throttle's tables and the failed-login log lines.
    void badForwardedFor() {
        std::string longList;
        for (int i = 0; i < 1000; ++i) longList += "10.0." + std::to_string(i % 256) + ".1,";
        const Lines values{
            "",
            "garbage",
            "999.1.1.1",
            "1.2.3.4:80",
            "[::1]",
            "fe80::1%eth0",
            "fe80::1%25eth0",
            "::ffff:1.2.3.4",
            "1.2.3.4 , \xff\xfe",
            "\xff\xfe, 1.2.3.4",
            ",,,,",
            "for=1.2.3.4",
            "' OR '1'='1",
            "*",
            "%",
            "_",
            "1.2.3.4%0A5.6.7.8",
            "unknown, 1.2.3.4",
            longList,
        };
        const Lines callers{"", "Authorization: " + basicAuthorization("admin", "wrong")};
        for (const auto& value : values)
            for (const char* path : {"/api/v1/status", "/api/v1/clients-auth", "/api/v1/me"})
                for (const auto& caller : callers) {
                    Lines headers{"X-Forwarded-For: " + value, "Connection: close"};
                    if (!caller.empty()) headers.push_back(caller);
                    add("bad-forwarded-for", request("GET", path, headers), {401});
                }
        // Several fields, and one from before a failed login at /login.
        for (const auto& value : values)
            add("bad-forwarded-for",
                request(
                    "GET", "/api/v1/login",
                    {"X-Forwarded-For: 1.2.3.4", "X-Forwarded-For: " + value,
                     "Authorization: " + basicAuthorization("nobody", "x"), "Connection: close"}),
                {401});
    }

    void badListQueries() {
        const Lines badForBoth{
            "filter[password]=x",
            "filter[id][gt]=1",
            "filter[id][like]=%25",
            "filter[id|password]=a",
            "filter[id|*]=a",
            "filter[*][eq]=%2A",
            // Names outside [\w|*] are no filter at all (ignored, as by the
            // original); these are filters, on columns nobody has.
            "filter[_]=_",
            "filter[__]=%25",
            "filter[id_or_1]=1",
            "filter[DROP]=%27%3B--",
            "filter[id|_]=x",
            "filter[" + std::string(7000, 'a') + "]=x",
            "filter[" + repeated("a|", 3500) + "]=x",
            "sort=" + std::string(7000, 's'),
            "sort=password",
            "sort=-secret",
            "sort=id%3BDROP",
            "sort=%00",
            "sort=%2A",
            "sort=_",
            "sort=%25",
            "sort=%FF%FE",
            "page[limit]=abc",
            "page[limit]=-1",
            "page[limit]=0",
            "page[limit]=501",
            "page[limit]=1e3",
            "page[limit]=99999999999999999999",
            "page[limit]=0x10",
            "page[limit]=%20",
            "page[limit]=1.5",
            "page[limit]=%00",
            "page[limit]=%27%20OR%201%3D1",
            "page[offset]=",
            "page[offset]=-1",
            "page[offset]=abc",
            "page[offset]=1e2",
            "page[offset]=%00",
            "page[offset]=99999999999999999999",
            "page[offset]=-9223372036854775809",
            "page[offset]=%2A",
        };
        const Lines badForClients{"fields[clients]=password", "fields[nope]=id",
                                  "fields[clients]=id,%00", "sort=id&sort=name",
                                  "fields[clients]=id,%27--"};
        // Harmless parameters mixed in, so the bad one is not alone.
        const Lines harmless{"",
                             "filter[id]=%27%20OR%20%271%27%3D%271",
                             "filter[id]=%2A",
                             "filter[id]=c%25",
                             "filter[id]=c_",
                             "filter[id]=or(a,b)",
                             "page[limit]=10",
                             "sort=id",
                             "unknown=%00"};
        struct Target {
            std::string path;
            std::vector<std::string> callers;
            Lines bad;
        };
        Lines clientsBad = badForBoth;
        clientsBad.insert(clientsBad.end(), badForClients.begin(), badForClients.end());
        const std::vector<Target> targets{
            {"/api/v1/clients-auth", {_adminBasic, _adminBearer}, badForBoth},
            {"/api/v1/clients", {_adminBasic, _adminBearer, _viewerBasic}, clientsBad},
        };
        for (const auto& t : targets)
            for (const auto& bad : t.bad)
                for (const auto& extra : harmless)
                    for (const auto& caller : t.callers) {
                        // The bad one first: of a repeated page[...], the first value counts.
                        std::string query = extra.empty() ? bad : bad + "&" + extra;
                        add("bad-list-query",
                            request("GET", t.path + "?" + query, {caller, "Connection: close"}),
                            {400});
                    }
        // The single-client route checks fields[] too (the client is missing anyway).
        for (const auto& bad : badForClients)
            add("bad-list-query",
                request("GET", "/api/v1/clients/nope?" + bad, {_adminBasic, "Connection: close"}),
                {400, 404});
        // DELETE of an existing credential with a force= that is no boolean.
        for (const char* force : {"maybe", "yes", "%00", "2", "%27%20OR%201%3D1", "tRuE", "%2A"})
            for (const auto& caller : {_adminBasic, _adminBearer})
                add("bad-list-query",
                    request(
                        "DELETE",
                        "/api/v1/clients-auth/" + _callers.existingClientAuthId + "?force=" + force,
                        {caller, "Connection: close"}),
                    {400});
    }

    // Bodies for POST /clients-auth, none of which may create anything.
    Lines clientAuthBodies() const {
        const std::string existing = _callers.existingClientAuthId;
        Lines bodies{
            "{",
            "}",
            "[",
            "{\"id\":",
            "{'id':'abcd','password':'abcd'}",
            "{\"id\":\"abcd\",}",
            "{\"id\" \"abcd\"}",
            "nul",
            "NaN",
            "{\"id\":NaN,\"password\":\"abcd\"}",
            "{\"id\":\"abcd\",\"password\":\"abcd\"} trailing",
            "{\"id\":\"abcd\",\"password\":\"abcd\"}{\"id\":\"abce\"}",
            "/* c */{\"id\":\"abcd\",\"password\":\"abcd\"}",
            "{\"id\":\"abcd\",\"password\":\"abcd\"",
            std::string(9000, '['),
            std::string(5000, '{'),
            "[" + std::string(4000, ' ') + "]",
            "{\"id\":123,\"password\":\"abcd\"}",
            "{\"id\":[\"abcd\"],\"password\":\"abcd\"}",
            "{\"id\":{},\"password\":\"abcd\"}",
            "{\"id\":true,\"password\":\"abcd\"}",
            "{\"id\":\"abcd\",\"password\":1234}",
            "{\"id\":\"abcd\",\"password\":[\"abcd\"]}",
            "{\"id\":\"abcd\",\"password\":{\"$ne\":null}}",
            "{\"id\":null,\"password\":null}",
            "{\"id\":1e400,\"password\":\"abcd\"}",
            "[]",
            "[{\"id\":\"abcd\",\"password\":\"abcd\"}]",
            "\"abcd\"",
            "123",
            "true",
            "null",
            "{}",
            "{\"id\":\"abcd\",\"password\":\"abcd\",\"extra\":1}",
            "{\"ID\":\"abcd\",\"password\":\"abcd\"}",
            "{\"id\":\"abcd\",\"password\":\"abcd\",\"__proto__\":{}}",
            "{\"id\":\"abcd\",\"pass\\u0000word\":\"abcd\"}",
            "{\"id\":\"ab\",\"password\":\"abcd\"}",
            "{\"id\":\"abcd\",\"password\":\"ab\"}",
            "{\"id\":\"\",\"password\":\"\"}",
            "{\"id\":\"abcd\"}",
            "{\"password\":\"abcd\"}",
            "{\"id\":\"ab\\u0001cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\u0000cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\u007fcd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\u0085cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\u001b[31mcd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\ncd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\ncd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\x01"
            "cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\xff\xfe"
            "cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\xc3\x28"
            "cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\xed\xa0\x80"
            "cd\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\xc0\xaf"
            "cd\",\"password\":\"abcd\"}",
            // Lone surrogates may decode to U+FFFD (as in Go); the password
            // keeps these invalid either way.
            "{\"id\":\"ab\\ud800cd\",\"password\":\"ab\"}",
            "{\"id\":\"ab\\udc00\",\"password\":\"ab\"}",
            "{\"id\":\"ab\\uZZZZ\",\"password\":\"abcd\"}",
            "{\"id\":\"ab\\x41\",\"password\":\"abcd\"}",
            "\xef\xbb\xbf{\"id\":\"ab\",\"password\":\"abcd\"}",
            "{\"id\":\"" + std::string(101, 'a') + "\",\"password\":\"abcd\"}",
            "{\"id\":\"" + std::string(9000, 'a') + "\",\"password\":\"abcd\"}",
            "{\"id\":\"" + existing + "\",\"password\":\"a-new-secret\"}",
            "{\"id\":\"abcd\",\"id\":\"abce\",\"password\":\"x\"}",
        };
        // SQL and wildcard metacharacters as ids, each made invalid by its password.
        for (const char* id : {"' OR '1'='1", "x'); DROP TABLE clients_auth;--", "*", "%", "_",
                               "a%b_c*", "\\\\", "\\\"", "../../etc/passwd", "${jndi:ldap://x}",
                               "1; DELETE FROM clients_auth", "%' OR id LIKE '%"})
            for (const char* password : {"x", "", "ab"})
                bodies.push_back(std::string("{\"id\":\"") + id + "\",\"password\":\"" + password +
                                 "\"}");
        return bodies;
    }

    void badClientAuthBodies() {
        const Lines contentTypes{"Content-Type: application/json",
                                 "Content-Type: text/plain",
                                 "Content-Type: application/json; charset=utf-8",
                                 "Content-Type: application/x-www-form-urlencoded",
                                 "Content-Type: multipart/form-data; boundary=x",
                                 ""};
        for (const auto& body : clientAuthBodies())
            for (const auto& caller : {_adminBasic, _adminBearer})
                for (const auto& type : contentTypes) {
                    Lines headers{caller, "Connection: close"};
                    if (!type.empty()) headers.push_back(type);
                    add("bad-clients-auth-body",
                        request("POST", "/api/v1/clients-auth", headers, body), {400, 409, 415});
                }
        // Over [api] max_request_bytes (10240): refused unread.
        for (size_t size : {10241u, 12000u, 65536u, 1048576u})
            for (const auto& caller : {_adminBasic, _adminBearer})
                add("huge-body",
                    request("POST", "/api/v1/clients-auth",
                            {caller, "Content-Type: application/json", "Connection: close"},
                            "{\"id\":\"" + std::string(size, 'a') + "\",\"password\":\"abcd\"}"),
                    {400, 413});
    }

    void badLoginBodies() {
        const Lines json{
            "{\"username\":\"admin\",\"password\":\"wrong\"}",
            "{\"username\":\"' OR 1=1 --\",\"password\":\"x\"}",
            "{\"username\":\"admin' --\",\"password\":\"x\"}",
            "{\"username\":\"*\",\"password\":\"*\"}",
            "{\"username\":\"%\",\"password\":\"%\"}",
            "{\"username\":\"_\",\"password\":\"_\"}",
            "{\"username\":\"adm_n\",\"password\":\"" + _callers.adminPassword + "\"}",
            "{\"username\":\"adm%\",\"password\":\"" + _callers.adminPassword + "\"}",
            "{\"username\":\"admin\",\"password\":\"%\"}",
            "{\"username\":\"admin\"}",
            "{\"password\":\"x\"}",
            "{\"username\":\"\",\"password\":\"\"}",
            "{\"username\":123,\"password\":\"x\"}",
            "{\"username\":\"admin\",\"password\":[\"x\"]}",
            "{\"username\":\"admin\",\"password\":{\"$gt\":\"\"}}",
            "{\"username\":\"admin\",\"password\":true}",
            "{\"username\":\"a\\u0000b\",\"password\":\"x\"}",
            "{\"username\":\"a\\nb\",\"password\":\"x\"}",
            "{\"username\":\"a\\u001b[2Jb\",\"password\":\"x\"}",
            "{\"username\":\"\xff\xfe\",\"password\":\"x\"}",
            "{\"username\":\"\\ud800\",\"password\":\"x\"}",
            "{\"username\":\"admin\",\"password\":\"x\",\"new_password\":\"y\"}",
            "{\"username\":\"" + std::string(5000, 'a') + "\",\"password\":\"x\"}",
            "{",
            "[]",
            "null",
            "\"admin\"",
            std::string(9000, '['),
            "{\"username\":\"admin\",\"password\":\"wrong\"",
        };
        const Lines forms{
            "username=admin&password=wrong",
            "username=%27%20OR%201%3D1%20--&password=x",
            "username=%2A&password=%2A",
            "username=%25&password=%25",
            "username=_&password=_",
            "username=%FF%FE&password=%00",
            "username=a%0Ab&password=x",
            "username=admin&password=%zz",
            "username=admin",
            "=&=",
            "%%%",
            "username=admin&password=wrong&username=viewer",
        };
        for (const auto& body : json)
            for (const char* type : {"application/json", "text/plain", ""}) {
                Lines headers{"Connection: close"};
                if (*type) headers.push_back(std::string("Content-Type: ") + type);
                add("bad-login-body", request("POST", "/api/v1/login", headers, body),
                    {400, 401, 415});
            }
        for (const auto& body : forms)
            for (const char* type : {"application/x-www-form-urlencoded", "application/json"})
                add("bad-login-body",
                    request("POST", "/api/v1/login",
                            {std::string("Content-Type: ") + type, "Connection: close"}, body),
                    {400, 401, 415});
        for (size_t size : {10241u, 65536u})
            add("huge-body",
                request("POST", "/api/v1/login",
                        {"Content-Type: application/json", "Connection: close"},
                        "{\"username\":\"" + std::string(size, 'a') + "\",\"password\":\"x\"}"),
                {400, 413});
    }

    // Malformed HTTP itself: request lines, fields, framing, chunking, bytes
    // that are not HTTP at all. Each malformation goes out with several
    // methods, paths and callers, picked from the fixed seed.
    void protocolErrors() {
        struct Malformation {
            const char* name;
            std::set<int> expected;
            // Builds the bytes from a method, a path and an Authorization line ("" for none).
            std::function<std::string(const std::string&, const std::string&, const std::string&)>
                build;
        };
        auto withAuth = [](const std::string& auth, Lines lines) {
            if (!auth.empty()) lines.push_back(auth);
            return lines;
        };
        auto head = [withAuth](const std::string& requestLine, const std::string& auth,
                               Lines lines) {
            // Connection: close, so that the end of an answer without a body
            // (to HEAD) shows as the end of the connection.
            lines.push_back("Connection: close");
            std::string out = requestLine + "\r\n";
            for (const auto& l : withAuth(auth, std::move(lines))) out += l + "\r\n";
            return out + "\r\n";
        };
        const std::string host = "Host: 127.0.0.1";
        const std::vector<Malformation> malformations{
            // Request lines.
            {"no version",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p, a, {host}); }},
            {"two spaces",
             {400},
             [=](auto m, auto p, auto a) { return head(m + "  " + p + " HTTP/1.1", a, {host}); }},
            {"trailing word",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/1.1 x", a, {host}); }},
            {"HTTP/2.0",
             {505},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/2.0", a, {host}); }},
            {"HTTP/0.9",
             {505},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/0.9", a, {host}); }},
            {"lower-case version",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " http/1.1", a, {host}); }},
            {"HTTP/1.x",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/1.x", a, {host}); }},
            {"HTTP/11",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/11", a, {host}); }},
            {"tab separator",
             {400},
             [=](auto m, auto p, auto a) { return head(m + "\t" + p + " HTTP/1.1", a, {host}); }},
            {"method with (",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + "(" + " " + p + " HTTP/1.1", a, {host});
             }},
            {"method with NUL",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + std::string(1, '\0') + " " + p + " HTTP/1.1", a, {host});
             }},
            {"method with 0xff",
             {400},
             [=](auto m, auto p, auto a) {
                 return head("\xff" + m + " " + p + " HTTP/1.1", a, {host});
             }},
            {"method too long",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + std::string(40, 'X') + " " + p + " HTTP/1.1", a, {host});
             }},
            {"CONNECT",
             {400},
             [=](auto, auto p, auto a) { return head("CONNECT " + p + " HTTP/1.1", a, {host}); }},
            {"asterisk with GET",
             {400},
             [=](auto, auto, auto a) { return head("GET * HTTP/1.1", a, {host}); }},
            {"no leading slash",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p.substr(1) + " HTTP/1.1", a, {host});
             }},
            {"ftp target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " ftp://127.0.0.1" + p + " HTTP/1.1", a, {host});
             }},
            {"userinfo target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " http://admin:x@127.0.0.1" + p + " HTTP/1.1", a, {host});
             }},
            {"target too long",
             {414},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "?" + std::string(9000, 'a') + " HTTP/1.1", a, {host});
             }},
            {"control in target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "\x01 HTTP/1.1", a, {host});
             }},
            {"escape in target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "\x1b[2J HTTP/1.1", a, {host});
             }},
            {"DEL in target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "\x7f HTTP/1.1", a, {host});
             }},
            {"NUL in target",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + std::string(1, '\0') + "x HTTP/1.1", a, {host});
             }},
            // Bytes >= 0x80 and '"' pass the parser, as in Go: the route decides.
            {"raw UTF-8 in target", kAnyClientError,
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "\xc3\xa9 HTTP/1.1", a, {host});
             }},
            {"invalid UTF-8 in target", kAnyClientError,
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + "\xff\xfe HTTP/1.1", a, {host});
             }},
            {"raw quote in target", kAnyClientError,
             [=](auto m, auto p, auto a) { return head(m + " " + p + "\"x HTTP/1.1", a, {host}); }},
            {"bad escape %zz",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + pathOnly(p) + "%zz HTTP/1.1", a, {host});
             }},
            {"bad escape %4",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + pathOnly(p) + "%4 HTTP/1.1", a, {host});
             }},
            {"bad escape %",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + pathOnly(p) + "% HTTP/1.1", a, {host});
             }},
            {"bad escape in a segment",
             {400},
             [=](auto m, auto, auto a) {
                 return head(m + " /api/%G1/status HTTP/1.1", a, {host});
             }},
            // Header fields.
            {"space in name",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Bad Header: x"});
             }},
            {"space before colon",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-Test : x"});
             }},
            {"no colon",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "NoColonHere"});
             }},
            {"empty name",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, ": x"});
             }},
            {"obs-fold",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-Test: a", " folded"});
             }},
            {"NUL in value",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, std::string("X-Test: a\0b", 11)});
             }},
            {"SOH in value",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host,
                              "X-Test: a\x01"
                              "b"});
             }},
            {"ESC in value",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-Test: \x1b[31mred"});
             }},
            {"DEL in value",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-Test: a\x7f"});
             }},
            {"bare CR in value",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-Test: a\rb"});
             }},
            {"0xff in name",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "X-\xff: x"});
             }},
            {"control in Authorization",
             {400},
             [=](auto m, auto p, auto) {
                 return head(m + " " + p + " HTTP/1.1", "",
                             {host, "Authorization: Basic \x01\x02"});
             }},
            {"huge field",
             {431},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "X-Big: " + std::string(20000, 'b')});
             }},
            {"huge Authorization",
             {431},
             [=](auto m, auto p, auto) {
                 return head(m + " " + p + " HTTP/1.1", "",
                             {host, "Authorization: Bearer " + std::string(20000, 'A')});
             }},
            {"huge cookie",
             {431},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Cookie: " + std::string(17000, 'c')});
             }},
            {"too many fields",
             {431},
             [=](auto m, auto p, auto a) {
                 Lines lines{host};
                 for (int i = 0; i < 120; ++i) lines.push_back("X-F" + std::to_string(i) + ": v");
                 return head(m + " " + p + " HTTP/1.1", a, lines);
             }},
            {"head too large",
             {431},
             [=](auto m, auto p, auto a) {
                 Lines lines{host};
                 for (int i = 0; i < 40; ++i)
                     lines.push_back("X-F" + std::to_string(i) + ": " + std::string(500, 'v'));
                 return head(m + " " + p + " HTTP/1.1", a, lines);
             }},
            {"no Host",
             {400},
             [=](auto m, auto p, auto a) { return head(m + " " + p + " HTTP/1.1", a, {}); }},
            {"two Hosts",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Host: other"});
             }},
            {"bad Host",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {"Host: bad host"});
             }},
            {"Host with userinfo",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {"Host: a@b"});
             }},
            {"Host with [",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {"Host: [::1"});
             }},
            {"Host with backslash",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {"Host: a\\b"});
             }},
            {"Expect",
             {417},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Expect: 200-ok"});
             }},
            // Framing.
            {"Content-Length abc",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Content-Length: abc"});
             }},
            {"Content-Length -1",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Content-Length: -1"});
             }},
            {"Content-Length +5",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Content-Length: +5"});
             }},
            {"Content-Length 0x10",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Content-Length: 0x10"});
             }},
            {"Content-Length list",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Content-Length: 1, 2"});
             }},
            {"Content-Length huge",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Content-Length: 99999999999999999999999"});
             }},
            {"two Content-Lengths",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Content-Length: 1", "Content-Length: 2"});
             }},
            {"length and chunked",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Content-Length: 5", "Transfer-Encoding: chunked"});
             }},
            {"gzip only",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: gzip"});
             }},
            {"gzip then chunked",
             {501},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Transfer-Encoding: gzip, chunked"});
             }},
            {"chunked twice",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Transfer-Encoding: chunked, chunked"});
             }},
            {"two TE fields",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a,
                             {host, "Transfer-Encoding: chunked", "Transfer-Encoding: chunked"});
             }},
            {"TE in HTTP/1.0",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.0", a, {"Transfer-Encoding: chunked"});
             }},
            // Chunked bodies.
            {"chunk size zz",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "zz\r\nabc\r\n0\r\n\r\n";
             }},
            {"chunk shorter than size",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "5\r\nabc\r\n0\r\n\r\n";
             }},
            {"chunk size bare LF",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "5\nabcde\r\n0\r\n\r\n";
             }},
            {"chunk size overflow",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "FFFFFFFFFFFFFFFFF\r\nab\r\n0\r\n\r\n";
             }},
            {"negative chunk size",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "-5\r\nabcde\r\n0\r\n\r\n";
             }},
            {"control in chunk extension",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "5;\x01x\r\nabcde\r\n0\r\n\r\n";
             }},
            {"chunk line too long",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "5;" + std::string(2000, 'e') + "\r\nabcde\r\n0\r\n\r\n";
             }},
            {"bad trailer",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "0\r\nBad Trailer\r\n\r\n";
             }},
            {"trailer end bare LF",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "0\r\n\n";
             }},
            {"chunk data without CRLF",
             {400},
             [=](auto m, auto p, auto a) {
                 return head(m + " " + p + " HTTP/1.1", a, {host, "Transfer-Encoding: chunked"}) +
                        "3\r\nabcXY0\r\n\r\n";
             }},
            // Not HTTP at all.
            {"TLS ClientHello",
             {400},
             [](auto, auto, auto) {
                 return std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
                        std::string(64, '\x42') + "\r\n\r\n";
             }},
            {"NUL bytes",
             {400},
             [](auto, auto p, auto) { return std::string(8, '\0') + p + "\r\n\r\n"; }},
            {"SSH banner",
             {400},
             [](auto, auto, auto) { return std::string("SSH-2.0-OpenSSH_9.2\r\n\r\n"); }},
        };
        // Methods and callers that would be fine on their own, so that only
        // the malformation makes the request wrong.
        const Lines methods{"GET", "POST", "DELETE", "HEAD", "PUT", "OPTIONS"};
        const Lines callers{"",
                            "Authorization: " + basicAuthorization("admin", _callers.adminPassword),
                            _adminBearer, "Authorization: Bearer undefined"};
        Lines paths;
        for (const auto& pattern : patterns())
            paths.push_back(
                instantiate(pattern, hasVariable(pattern) ? _callers.existingClientAuthId : ""));
        paths.push_back("/api/v1/clients-auth?filter[id]=%2A&page[limit]=5");
        paths.push_back("/api/v1/nope");
        paths.push_back("/");
        constexpr int kVariantsPerMalformation = 26;
        for (const auto& m : malformations)
            for (int i = 0; i < kVariantsPerMalformation * 4; ++i) {
                if (countOf(m.name) >= kVariantsPerMalformation) break;
                std::string bytes = m.build(pick(methods), pick(paths), pick(callers));
                if (_seen.count(bytes)) continue;
                ++_perName[m.name];
                const bool headRequest = bytes.rfind("HEAD ", 0) == 0;
                add(std::string("protocol: ") + m.name, std::move(bytes), m.expected, headRequest);
            }
        // Random binary that starts with a byte no method may start with.
        static const char kNotToken[] = "\x00\x01\x7f\x80\xff (){}[]<>@,;:\\\"/?=\t";
        const std::string notToken(kNotToken, sizeof kNotToken - 1);
        for (int i = 0; i < 200; ++i) {
            std::string bytes(
                1,
                notToken[std::uniform_int_distribution<size_t>(0, notToken.size() - 1)(_random)]);
            const size_t length = std::uniform_int_distribution<size_t>(1, 300)(_random);
            for (size_t j = 0; j < length; ++j)
                bytes.push_back(
                    static_cast<char>(std::uniform_int_distribution<int>(0, 255)(_random)));
            add("protocol: random bytes", bytes + "\r\n\r\n", {400});
        }
    }

    int countOf(const char* name) const {
        auto it = _perName.find(name);
        return it == _perName.end() ? 0 : it->second;
    }

    const Callers& _callers;
    std::mt19937 _random;
    std::string _adminBasic;
    std::string _viewerBasic;
    std::string _adminBearer;
    std::vector<BadRequest> _out;
    std::unordered_set<std::string> _seen;
    std::map<std::string, int> _perName;
};

}  // namespace

const std::vector<KnownRoute>& knownRoutes() {
    static const std::vector<KnownRoute> routes{
        {"GET", "/api/v1/status", Access::Authenticated},
        {"GET", "/api/v1/clients", Access::Authenticated},
        {"GET", "/api/v1/clients/{client_id}", Access::Authenticated},
        {"DELETE", "/api/v1/clients/{client_id}", Access::Authenticated},
        {"GET", "/api/v1/clients-auth", Access::Administrators},
        {"GET", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators},
        {"POST", "/api/v1/clients-auth", Access::Administrators},
        {"DELETE", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators},
        {"GET", "/api/v1/login", Access::Public},
        {"POST", "/api/v1/login", Access::Public},
        {"DELETE", "/api/v1/logout", Access::Public},
        {"GET", "/api/v1/me/token", Access::Authenticated},
        {"POST", "/api/v1/me/token", Access::Authenticated},
        {"DELETE", "/api/v1/me/token", Access::Authenticated},
        {"GET", "/api/v1/me", Access::Authenticated},
    };
    return routes;
}

std::string basicAuthorization(const std::string& user, const std::string& password) {
    return "Basic " + base64(user + ":" + password);
}

std::vector<BadRequest> generateCorpus(const Callers& callers, uint32_t seed) {
    return Generator(callers, seed).run();
}

}  // namespace rport::test::badinput
