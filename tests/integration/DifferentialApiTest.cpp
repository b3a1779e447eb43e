// The original rportd and ours, side by side: both start on loopback with
// equivalent configurations (the same client-auth file, each its own copy;
// the same API users), both get the same requests in the same order (the
// documentation's curl examples and every error path of the routes we
// serve), and their answers are compared: status, kind of body, and for
// JSON the whole tree, error details included (volatile values such as
// versions, fingerprints and tokens left out). Every difference must be one the
// allow-list (api-differences.json beside this file) names; that list and
// the table in docs/configuration.md must hold the same entries. An entry
// that no longer matches anything fails too, so the list stays true.
//
// Skipped when the original server (../shared/interop/bin/rportd) is absent.
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "HttpCall.h"
#include "OriginalRport.h"
#include "RportdProcess.h"
#include "Skip.h"
#include "Subprocess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

// ---- requests ----------------------------------------------------------

struct Exchange {
    std::string name;  // "<group>: <what>"; the allow-list matches these
    std::string method;
    std::string target;
    std::string authorization;  // the header's value, "" for none
    std::string body;
    std::string contentType;
};

std::string base64(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << text;
    encoder.close();
    return out.str();
}

std::string basic(const std::string& user, const std::string& password) {
    return "Basic " + base64(user + ":" + password);
}

const std::string kAdmin = basic("admin", "foobaz");
const std::string kViewer = basic("viewer", "viewer-pw");
const std::string kJson = "application/json";
const std::string kAuthList = "/api/v1/clients-auth";

std::string authOne(const std::string& encodedId) { return kAuthList + "/" + encodedId; }

std::string credential(const std::string& idJson, const std::string& password = "abcd1234") {
    return "{\"id\":" + idJson + ",\"password\":\"" + password + "\"}";
}

// A well-formed JSON Web Token, signed (HS256) with the key "wrongkey", which
// neither server has.
std::string forgedToken() {
    auto part = [](const std::string& json) {
        std::string s = base64(json);
        for (char& c : s) c = c == '+' ? '-' : c == '/' ? '_' : c;
        while (!s.empty() && s.back() == '=') s.pop_back();
        return s;
    };
    return part("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." +
           part("{\"username\":\"admin\",\"sessionID\":1,\"jti\":\"1\"}") +
           ".vpglPHqVgjMCVc63eJdnNZFYMO0pefA9AqO5rKGORyE";
}

class Requests {
public:
    std::vector<Exchange> list;

    void add(std::string name, std::string method, std::string target,
             const std::string& authorization = kAdmin, std::string body = "",
             std::string contentType = "") {
        if (!body.empty() && contentType.empty()) contentType = kJson;
        list.push_back(Exchange{std::move(name), std::move(method), std::move(target),
                                authorization, std::move(body), std::move(contentType)});
    }
    void get(std::string name, std::string target, const std::string& auth = kAdmin) {
        add(std::move(name), "GET", std::move(target), auth);
    }
    void post(std::string name, std::string body, std::string contentType = kJson) {
        add(std::move(name), "POST", kAuthList, kAdmin, std::move(body), std::move(contentType));
    }
    void del(std::string name, std::string target) {
        add(std::move(name), "DELETE", std::move(target));
    }
};

// The documentation's examples (../shared/seeds, docs/client-auth.md).
void seedExamples(Requests& r) {
    r.get("seed: list the client credentials", kAuthList);
    r.post("seed: add client3", credential("\"client3\"", "ue4Aiy4o"));
    r.get("seed: list after adding", kAuthList);
    r.get("seed: get client3", authOne("client3"));
    r.get("seed: filter and page", kAuthList + "?filter[id]=client*&page[limit]=50&page[offset]=0");
    r.del("seed: delete client3", authOne("client3"));
    r.get("seed: status", "/api/v1/status");
    r.add("head: curl -Iv on status (HTTPS guide)", "HEAD", "/api/v1/status");
}

void listOptions(Requests& r) {
    const std::vector<std::string> accepted = {
        "filter[id]=CLIENT1",
        "filter[id]=client*",
        "filter[id]=admin,client2",
        "filter[id]=or(ADMIN,Client2)",
        "filter[id]=and(c*,*1)",
        "filter[*]=*auth*",
        "filter[id]=client*&filter[*]=*2",
        "filter[id]=nothing*",
        "filter[id]=",
        "filter[id|id]=admin",
        "filter[id]=*1",
        "filter[id]=%63lient1",
        "filter%5Bid%5D=client1",
        "filter[id]=client1&filter[id]=admin",
        "filter[id]=+client1+",
        "page[limit]=2",
        "page[limit]=2&page[offset]=1",
        "page[offset]=3",
        "page[offset]=10",
        "page[limit]=500",
        "page[limit]=",
        "page[limit]=&page[limit]=2",
        "page[limit]=2&page[limit]=abc",
        "page[offset]=%2B1",
        "sort=",
        "sort=%20",
        "fields[clients-auth]=id",
        "unknown=parameter",
    };
    for (const auto& q : accepted) r.get("list: " + q, kAuthList + "?" + q);
    const std::vector<std::string> refused = {
        "page[limit]=501",
        "page[limit]=0",
        "page[limit]=-1",
        "page[limit]=x",
        "page[limit]=%20",
        "page[limit]=99999999999999999999",
        "page[offset]=",
        "page[offset]=-5",
        "page[offset]=x",
        "sort=id",
        "sort=-id",
        "sort=-",
        "sort=&sort=id",
        "filter[name]=x",
        "filter[id][gt]=x",
        "filter[id][eq]=x",
        "filter[id|*]=admin",
        "filter[*|id]=admin",
        "filter[name]=x&sort=id&page[limit]=x&page[offset]=y",
    };
    for (const auto& q : refused) r.get("list refused: " + q, kAuthList + "?" + q);
    r.get("list: a literal dot in a filter", kAuthList + "?filter[id]=client.*");
}

void getOne(Requests& r) {
    r.get("get: clientAuth1", authOne("clientAuth1"));
    r.get("get: an unknown id", authOne("nobody"));
    r.get("get: another case of a known id", authOne("CLIENTAUTH1"));
    r.get("get: an escaped character", authOne("client%31"));
    r.get("get: with a query", authOne("admin") + "?x=1");
}

// Creates that both servers accept, each followed by reading and deleting
// what was created, so that both stores stay alike.
void roundTrip(Requests& r, const std::string& label, const std::string& id) {
    std::string idJson;
    for (unsigned char c : id) {
        if (c == '"' || c == '\\') idJson += '\\';
        idJson += static_cast<char>(c);
    }
    r.post("create: " + label, credential("\"" + idJson + "\""));
    r.get("create: read back " + label, authOne(percentEncoded(id)));
    r.del("create: delete " + label, authOne(percentEncoded(id)));
}

void create(Requests& r) {
    r.post("create: client4", credential("\"client4\"", "secret4"));
    r.post("create: client4 again", credential("\"client4\"", "other-secret"));
    r.get("create: client4 kept its first password", authOne("client4"));
    r.del("create: delete client4", authOne("client4"));

    const std::vector<std::pair<std::string, std::string>> refused = {
        {"an empty body", ""},
        {"a blank body", "  \n "},
        {"null", "null"},
        {"an empty object", "{}"},
        {"an array", "[]"},
        {"a string", "\"text\""},
        {"a number", "42"},
        {"broken JSON", "{\"id\": \"abc\", "},
        {"a two-byte id", credential("\"ab\"")},
        {"no id", "{\"password\":\"abcd\"}"},
        {"a two-byte password", credential("\"abcd\"", "ab")},
        {"no password", "{\"id\":\"abcd\"}"},
        {"a number as id", "{\"id\":123,\"password\":\"abcd\"}"},
        {"a number as password", "{\"id\":\"abcd\",\"password\":123}"},
        {"a null id", "{\"id\":null,\"password\":\"abcd\"}"},
        {"an unknown field", "{\"id\":\"abcd\",\"password\":\"abcd\",\"role\":\"x\"}"},
        {"a NUL after a field name", "{\"id\":\"a\",\"password\":\"abcd\",\"id\\u0000\":\"b\"}"},
        {"a NUL in the only id field", "{\"id\\u0000\":\"evil\",\"password\":\"abcd\"}"},
        {"a body over max_request_bytes", credential("\"bigpassword\"", std::string(20000, 'x'))},
    };
    for (const auto& [label, body] : refused) r.post("create refused: " + label, body);
    r.post("create refused: a form-encoded JSON body (curl -d without -H)", credential("\"form1\""),
           "application/x-www-form-urlencoded");
    r.post("create refused: a form", "id=form2&password=abcd", "application/x-www-form-urlencoded");

    // Ids the original accepts and we refuse: each create is followed by a
    // delete that removes it from the original again.
    const std::vector<std::tuple<std::string, std::string, std::string>> hostile = {
        {"a line break in the id", "\"evil\\n[forged] info: line\"",
         "evil%0A%5Bforged%5D%20info%3A%20line"},
        {"a NUL in the id", "\"nul\\u0000id\"", "nul%00id"},
        {"a tab in the id", "\"tab\\tid\"", "tab%09id"},
        {"an escape sequence in the id", "\"esc\\u001b[31mred\"", "esc%1B%5B31mred"},
        {"a C1 control in the id", "\"nel\\u0085id\"", "nel%C2%85id"},
        {"invalid UTF-8 in the id",
         "\"bad\xff"
         "utf8\"",
         "bad%EF%BF%BDutf8"},
        {"a 101-character id", "\"" + std::string(101, 'L') + "\"", std::string(101, 'L')},
    };
    for (const auto& [label, idJson, encoded] : hostile) {
        r.post("id bounds: create " + label, credential(idJson));
        r.del("id bounds: remove " + label, authOne(encoded));
    }
    const std::string huge(9000, 'H');
    r.post("id bounds: create a 9000-character id", credential("\"" + huge + "\""));
    r.get("id bounds: read the 9000-character id", authOne(huge));
    r.del("id bounds: remove the 9000-character id", authOne(huge));

    roundTrip(r, "a 3-byte id", "abc");
    roundTrip(r, "a 100-character id", std::string(100, 'M'));
    std::string accented;
    for (int i = 0; i < 100; ++i) accented += "\xc3\xa9";
    roundTrip(r, "a 100-character id of 2-byte characters", accented);
    roundTrip(r, "a Cyrillic id", "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-1");
    roundTrip(r, "an id with spaces", " with spaces ");
    roundTrip(r, "an id with a plus", "a+b");
    roundTrip(r, "an id with a percent sign", "per%cent");
    roundTrip(r, "an id with ? and #", "q?x#y");
    roundTrip(r, "an id of dots", "...");
    roundTrip(r, "an id with quotes and a backslash", "q\"uo\\te");

    r.post("create: as text/plain", credential("\"plain1\""), "text/plain");
    r.del("create: delete plain1", authOne("plain1"));
    r.post("create: with a charset", credential("\"charset1\""), "application/json; charset=utf-8");
    r.del("create: delete charset1", authOne("charset1"));
    r.post("create: the last of two ids wins",
           "{\"id\":\"dup1\",\"id\":\"dup2\",\"password\":\"abcd\"}");
    r.get("create: dup1 does not exist", authOne("dup1"));
    r.del("create: delete dup2", authOne("dup2"));
    r.post("create: whitespace around the JSON", " \n" + credential("\"spaced1\"") + "\n ");
    r.del("create: delete spaced1", authOne("spaced1"));

    r.post("trailing bytes: create with bytes after the JSON", credential("\"trail1\"") + " x");
    r.del("trailing bytes: remove trail1", authOne("trail1"));
    r.post("field names: create with an upper-case ID field",
           "{\"ID\":\"upper1\",\"password\":\"abcd\"}");
    r.del("field names: remove upper1", authOne("upper1"));
}

void remove(Requests& r) {
    r.del("delete: an unknown id", authOne("nobody"));
    r.del("delete: an unknown id with force", authOne("nobody") + "?force=true");
    r.del("delete: an invalid force", authOne("client1") + "?force=maybe");
    r.del("delete: force=yes", authOne("client1") + "?force=yes");
    r.del("delete: a blank force", authOne("client1") + "?force=%20");
    r.del("delete: force= then force=x (the first counts)", authOne("nobody") + "?force=&force=x");
    r.post("delete: create force1", credential("\"force1\""));
    r.del("delete: an empty force", authOne("force1") + "?force=");
    r.post("delete: create force2", credential("\"force2\""));
    r.del("delete: force without a value", authOne("force2") + "?force");
    r.post("delete: create force3", credential("\"force3\""));
    r.del("delete: force=TRUE", authOne("force3") + "?force=TRUE");
    r.post("delete: create force4", credential("\"force4\""));
    r.del("delete: force=0", authOne("force4") + "?force=0");
    r.get("delete: the list is back to the start", kAuthList);
}

void clients(Requests& r) {
    const std::string c = "/api/v1/clients";
    for (const auto& q :
         std::vector<std::string>{"", "?sort=name", "?sort=-hostname", "?filter[os]=linux",
                                  "?fields[clients]=id,name", "?page[limit]=", "?page[limit]=5"})
        r.get("clients: list" + q, c + q);
    for (const auto& q :
         std::vector<std::string>{"?sort=bogus", "?sort=id&sort=name", "?filter[bogus]=x",
                                  "?fields[clients]=bogus", "?fields[other]=x", "?filter[id|*]=x",
                                  "?page[limit]=501", "?page[offset]=", "?page[offset]=-1"})
        r.get("clients refused: list" + q, c + q);
    r.get("clients: an unknown client", c + "/nope");
    r.get("clients: an unknown client with fields", c + "/nope?fields[clients]=id");
    r.del("clients: delete an unknown client", c + "/nope");
    r.get("clients: the list as a viewer", c, kViewer);
}

void authentication(Requests& r) {
    const std::string status = "/api/v1/status";
    r.get("auth: no credentials", status, "");
    r.get("auth: a wrong password", status, basic("admin", "wrong"));
    r.get("auth: an unknown user", status, basic("nobody", "foobaz"));
    r.get("auth: Basic with garbage", status, "Basic !!!not-base64");
    r.get("auth: Basic alone", status, "Basic");
    r.get("auth: Basic without a colon", status, "Basic " + base64("admin"));
    r.get("auth: an empty user name", status, basic("", "foobaz"));
    r.get("auth: another scheme", status, "Digest username=\"admin\"");
    r.get("auth: a viewer reads the status", status, kViewer);
    r.get("auth: a viewer lists credentials", kAuthList, kViewer);
    r.get("auth: a viewer reads a credential", authOne("client1"), kViewer);
    r.add("auth: a viewer adds a credential", "POST", kAuthList, kViewer,
          credential("\"viewer1\""));
    r.add("auth: a viewer deletes a credential", "DELETE", authOne("client1"), kViewer);
    r.get("auth: credentials list without credentials", kAuthList, "");
    r.add("auth: add without credentials", "POST", kAuthList, "", credential("\"anon1\""));
    r.add("auth: delete without credentials", "DELETE", authOne("client1"), "");

    r.get("bearer: a forged token", status, "Bearer " + forgedToken());
    r.get("bearer: not a token (the web UI's Bearer undefined)", status, "Bearer undefined");
    r.get("bearer: three parts that are not JSON", status, "Bearer abc.def.ghi");
}

void routes(Requests& r) {
    for (const auto& target : std::vector<std::string>{
             "/api/v1/nothing", "/api/v1", "/", "/api/v1/clients-auth/", "/api/v1/status/",
             "/api/v1/clients-auth/a/b", "/api/v2/status", "/API/V1/STATUS"})
        r.get("route: GET " + target, target);
    r.add("route: POST /api/v1/nothing", "POST", "/api/v1/nothing", kAdmin, "{}");
    r.del("route: DELETE /api/v1/clients-auth/", kAuthList + "/");
    r.get("route: an unknown route without credentials", "/api/v1/nothing", "");

    const std::vector<std::pair<std::string, std::string>> wrong = {
        {"PUT", "/api/v1/status"},
        {"POST", "/api/v1/status"},
        {"DELETE", "/api/v1/status"},
        {"PATCH", kAuthList},
        {"PUT", kAuthList},
        {"DELETE", kAuthList},
        {"PUT", authOne("client1")},
        {"POST", authOne("client1")},
        {"PATCH", "/api/v1/clients/nope"},
        {"OPTIONS", "/api/v1/status"},
        {"OPTIONS", kAuthList},
    };
    for (const auto& [method, target] : wrong)
        r.add("method: " + method + " " + target, method, target);

    for (const auto& target :
         std::vector<std::string>{kAuthList, authOne("clientAuth1"), "/api/v1/clients"})
        r.add("head: HEAD " + target, "HEAD", target);
    r.add("head: HEAD /api/v1/status without credentials", "HEAD", "/api/v1/status", "");
}

void login(Requests& r) {
    r.get("login: GET with Basic credentials", "/api/v1/login");
    r.get("login: GET without credentials", "/api/v1/login", "");
    r.get("login: GET with a wrong password", "/api/v1/login", basic("admin", "wrong"));
    r.get("login: GET with a bad token-lifetime", "/api/v1/login?token-lifetime=x");
    r.add("login: POST JSON", "POST", "/api/v1/login", "",
          "{\"username\":\"admin\",\"password\":\"foobaz\"}");
    r.add("login: POST a form", "POST", "/api/v1/login", "", "username=admin&password=foobaz",
          "application/x-www-form-urlencoded");
    r.add("login: POST a wrong password", "POST", "/api/v1/login", "",
          "{\"username\":\"admin\",\"password\":\"wrong\"}");
    r.add("login: POST text", "POST", "/api/v1/login", "", "x", "text/plain");
    r.del("login: logout without a token", "/api/v1/logout");
    r.add("login: logout with a forged token", "DELETE", "/api/v1/logout",
          "Bearer " + forgedToken());
    r.get("login: me", "/api/v1/me");
    r.get("login: me without credentials", "/api/v1/me", "");
    r.get("login: the retired me/token", "/api/v1/me/token");
}

// Last: the original cannot delete what it creates here, so the stores differ afterwards.
void slashes(Requests& r) {
    r.post("slash: create x/y/z", credential("\"x/y/z\""));
    r.get("slash: list it", kAuthList + "?filter[id]=x/y/z");
    r.get("slash: get x%2Fy%2Fz", authOne("x%2Fy%2Fz"));
    r.get("slash: get x/y/z unescaped", authOne("x/y/z"));
    r.del("slash: delete x%2Fy%2Fz", authOne("x%2Fy%2Fz"));
    r.get("slash: list it after the delete", kAuthList + "?filter[id]=x/y/z");
}

void writesRefused(Requests& r, const std::string& phase) {
    r.post(phase + ": add", credential("\"client9\""));
    r.del(phase + ": delete", authOne("clientAuth1"));
    r.del(phase + ": delete an unknown id", authOne("nobody"));
    r.post(phase + ": add a bad body", "[]");
    r.get(phase + ": list", kAuthList);
    r.get(phase + ": get", authOne("clientAuth1"));
    r.get(phase + ": status", "/api/v1/status");
}

// ---- answers -------------------------------------------------------------

struct Answer {
    int status = 0;
    std::string kind;  // "json", "text", "empty", or "no answer: <why>"
    std::string body;
};

Answer send(uint16_t port, const Exchange& e) {
    Answer a;
    try {
        Poco::Net::HTTPClientSession session("127.0.0.1", port);
        session.setTimeout(Poco::Timespan(15, 0));
        Poco::Net::HTTPRequest request(e.method, e.target, Poco::Net::HTTPRequest::HTTP_1_1);
        if (!e.authorization.empty()) request.set("Authorization", e.authorization);
        if (!e.contentType.empty()) request.setContentType(e.contentType);
        if (!e.body.empty() || e.method == "POST")
            request.setContentLength(static_cast<std::streamsize>(e.body.size()));
        session.sendRequest(request) << e.body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, a.body);
        a.status = response.getStatus();
        const std::string type = response.getContentType();
        if (a.body.empty())
            a.kind = "empty";
        else if (type.rfind("application/json", 0) == 0)
            a.kind = "json";
        else
            a.kind = "text";
    } catch (const Poco::Exception& ex) {
        a.kind = "no answer: " + ex.displayText();
    }
    return a;
}

std::string shortText(std::string text, size_t max = 160) {
    if (text.size() > max) text = text.substr(0, max) + "...";
    for (char& c : text)
        if (c == '\n') c = ' ';
    return text;
}

// ---- comparing -----------------------------------------------------------

struct Difference {
    // "status", "type", "code-filled", "code", "title", "detail", "shape:<path>", "value:<path>"
    std::string aspect;
    std::string detail;
};

// Values that differ between any two servers: left out of the comparison.
const std::set<std::string> kVolatile = {"data.version", "data.fingerprint", "data.connect_url",
                                         "data.token"};

std::string typeName(const Poco::Dynamic::Var& v) {
    if (v.isEmpty()) return "null";
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) return "object";
    if (v.type() == typeid(Poco::JSON::Array::Ptr)) return "array";
    if (v.isString()) return "string";
    if (v.isBoolean()) return "bool";
    return "number";
}

void compareTrees(const std::string& path, const Poco::Dynamic::Var& original,
                  const Poco::Dynamic::Var& ours, std::vector<Difference>& out) {
    if (kVolatile.count(path)) return;
    const std::string t1 = typeName(original), t2 = typeName(ours);
    if (t1 != t2) {
        out.push_back({"shape:" + path, "original " + t1 + ", ours " + t2});
        return;
    }
    if (t1 == "object") {
        auto a = original.extract<Poco::JSON::Object::Ptr>();
        auto b = ours.extract<Poco::JSON::Object::Ptr>();
        std::set<std::string> names;
        for (const auto& [k, v] : *a) names.insert(k);
        for (const auto& [k, v] : *b) names.insert(k);
        for (const auto& k : names) {
            const std::string sub = path.empty() ? k : path + "." + k;
            if (!a->has(k))
                out.push_back({"shape:" + sub, "only in ours"});
            else if (!b->has(k))
                out.push_back({"shape:" + sub, "only in the original"});
            else
                compareTrees(sub, a->get(k), b->get(k), out);
        }
        return;
    }
    if (t1 == "array") {
        auto a = original.extract<Poco::JSON::Array::Ptr>();
        auto b = ours.extract<Poco::JSON::Array::Ptr>();
        if (a->size() != b->size())
            out.push_back({"value:" + path + ".length", "original " + std::to_string(a->size()) +
                                                            ", ours " + std::to_string(b->size())});
        for (size_t i = 0; i < std::min(a->size(), b->size()); ++i)
            compareTrees(path + "[]", a->get(static_cast<unsigned>(i)),
                         b->get(static_cast<unsigned>(i)), out);
        return;
    }
    if (t1 == "null") return;
    const std::string v1 = original.toString(), v2 = ours.toString();
    if (v1 == v2) return;
    const std::string detail =
        "original \"" + shortText(v1, 80) + "\", ours \"" + shortText(v2, 80) + "\"";
    if (path == "errors[].code")
        out.push_back({v1.empty() ? "code-filled" : "code", detail});
    else if (path == "errors[].detail")
        out.push_back({"detail", detail});
    else if (path == "errors[].title")
        out.push_back({"title", detail});
    else
        out.push_back({"value:" + path, detail});
}

std::vector<Difference> compare(const Answer& original, const Answer& ours) {
    std::vector<Difference> out;
    if (original.status != ours.status)
        out.push_back({"status", "original " + std::to_string(original.status) + ", ours " +
                                     std::to_string(ours.status)});
    if (original.kind != ours.kind) {
        out.push_back({"type", "original " + original.kind + ", ours " + ours.kind});
        return out;
    }
    if (original.kind == "text" && original.body != ours.body)
        out.push_back({"value:text", "original \"" + shortText(original.body) + "\", ours \"" +
                                         shortText(ours.body) + "\""});
    if (original.kind != "json") return out;
    Poco::Dynamic::Var a, b;
    try {
        a = Poco::JSON::Parser().parse(original.body);
        b = Poco::JSON::Parser().parse(ours.body);
    } catch (const Poco::Exception& e) {
        out.push_back({"json", e.displayText()});
        return out;
    }
    compareTrees("", a, b, out);
    return out;
}

// ---- the allow-list and the documentation ----------------------------------

bool globMatch(const std::string& pattern, const std::string& text) {
    size_t p = 0, t = 0, star = std::string::npos, resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

struct Allowed {
    std::string key;
    std::vector<std::string> requests;  // globs over request names
    std::vector<std::string> differs;   // globs over aspects
    bool pending = false;               // "pending /login": to flip when tokens land
    bool used = false;
};

std::vector<std::string> strings(const Poco::JSON::Object::Ptr& o, const std::string& name) {
    std::vector<std::string> out;
    auto a = o->getArray(name);
    if (!a) throw std::runtime_error("allow-list entry without \"" + name + "\"");
    for (size_t i = 0; i < a->size(); ++i)
        out.push_back(a->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

std::vector<Allowed> loadAllowList(const std::string& path) {
    std::vector<Allowed> out;
    auto root = Poco::JSON::Parser().parse(readFile(path)).extract<Poco::JSON::Array::Ptr>();
    for (size_t i = 0; i < root->size(); ++i) {
        auto o = root->getObject(static_cast<unsigned>(i));
        Allowed a;
        a.key = o->getValue<std::string>("key");
        a.requests = strings(o, "requests");
        a.differs = strings(o, "differs");
        a.pending = o->optValue<std::string>("pending", "") == "pending /login";
        if (o->optValue<std::string>("why", "").empty())
            throw std::runtime_error("allow-list entry " + a.key + " says not why");
        out.push_back(std::move(a));
    }
    return out;
}

// The rows of the API differences table in docs/configuration.md: key -> row.
std::map<std::string, std::string> documentedDifferences(const std::string& path) {
    std::map<std::string, std::string> rows;
    std::istringstream doc(readFile(path));
    bool inSection = false;
    for (std::string line; std::getline(doc, line);) {
        if (line.rfind("## ", 0) == 0 || line.rfind("### ", 0) == 0)
            inSection = line.find("API answers") != std::string::npos;
        if (!inSection || line.rfind("| `", 0) != 0) continue;
        const size_t end = line.find('`', 3);
        if (end != std::string::npos) rows[line.substr(3, end - 3)] = line;
    }
    return rows;
}

// ---- the servers -------------------------------------------------------------

const char* kClientAuthFile =
    "{\n  \"clientAuth1\": \"1234\",\n  \"admin\": \"123456\",\n"
    "  \"client1\": \"yienei5Ch\",\n  \"client2\": \"ieRi1Noo2\"\n}\n";

std::string originalBinary() {
    const std::string dir = interopBinDir();
    if (dir.empty() || ::access((dir + "/rportd").c_str(), X_OK) != 0) return "";
    return dir + "/rportd";
}

bool waitForPort(uint16_t port, int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (tcpPortOpen(port)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// The original rportd, stopped when the object goes.
class OriginalServer {
public:
    OriginalServer(const std::string& dir, const std::string& serverKeys,
                   const std::string& apiKeys)
        : _log(dir + "/original.out") {
        const std::string path = dir + "/original.conf";
        for (int attempt = 0; attempt < 3 && _port == 0; ++attempt) {
            const uint16_t api = freeLoopbackPort();
            const uint16_t clients = freeLoopbackPort();
            std::ofstream(path) << "[server]\n  address = \"127.0.0.1:" << clients << "\"\n"
                                << serverKeys << "[api]\n  address = \"127.0.0.1:" << api << "\"\n"
                                << apiKeys << "[logging]\n  log_file = \"" << dir
                                << "/original.log\"\n  log_level = \"info\"\n";
            _pid = spawnProcess({originalBinary(), "-c", path}, _log, {}, dir);
            if (waitForPort(api, 20000))
                _port = api;
            else
                stop();
        }
        if (_port == 0)
            throw std::runtime_error("the original rportd did not start: " + tail(readFile(_log)));
    }
    ~OriginalServer() { stop(); }
    uint16_t port() const { return _port; }
    bool running() { return _pid > 0 && !exited(_pid); }

private:
    void stop() {
        if (_pid > 0) terminateProcess(_pid, 5000);
        _pid = -1;
    }
    std::string _log;
    pid_t _pid = -1;
    uint16_t _port = 0;
};

}  // namespace

class DifferentialApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(DifferentialApiTest);
    CPPUNIT_TEST(allowListAndDocumentationAgree);
    CPPUNIT_TEST(bothServersAnswerAlike);
    CPPUNIT_TEST_SUITE_END();

    std::string allowListPath() const {
        return sourceDir() + "/tests/integration/api-differences.json";
    }
    std::string docPath() const { return sourceDir() + "/docs/configuration.md"; }

    struct Outcome {
        std::vector<std::string> unexplained;
        size_t requests = 0;
        size_t alike = 0;
    };

    // One pair of servers with the given settings, and its requests.
    void runPhase(const std::string& phase, const std::string& serverKeys,
                  const std::vector<Exchange>& requests, std::vector<Allowed>& allowed,
                  Outcome& outcome) {
        TempDir dir;
        const std::string usersFile = dir.write("api-users.json", apiUsers());
        const std::string apiKeys = "  auth_file = \"" + usersFile +
                                    "\"\n  user_login_wait = 0\n  max_failed_login = 10000\n"
                                    "  ban_time = 1\n";
        auto side = [&](const std::string& name) {
            const std::string data = dir.path() + "/" + name;
            ::mkdir(data.c_str(), 0700);
            std::ofstream(data + "/client-auth.json") << kClientAuthFile;
            std::string keys = serverKeys;
            for (size_t at; (at = keys.find("@DATA@")) != std::string::npos;)
                keys.replace(at, 6, data);
            return "  data_dir = \"" + data + "\"\n  allow_root = true\n" + keys;
        };
        const std::string originalDir = dir.path() + "/original-run";
        ::mkdir(originalDir.c_str(), 0700);
        OriginalServer original(originalDir, side("original"), apiKeys);
        const std::string oursConfig =
            dir.write("ours.conf", "[server]\n  address = \"127.0.0.1:0\"\n" + side("ours") +
                                       "[api]\n  address = \"127.0.0.1:0\"\n" + apiKeys);
        RportdProcess ours({"-c", oursConfig}, dir.path());
        const uint16_t oursPort = ours.waitForApiPort(20000);
        // Fingerprints are left out of the comparison (each server has its
        // own key); ours must show the key it logged.
        const Answer status = send(oursPort, Exchange{"", "GET", "/api/v1/status", kAdmin, "", ""});
        auto data = Poco::JSON::Parser()
                        .parse(status.body)
                        .extract<Poco::JSON::Object::Ptr>()
                        ->getObject("data");
        CPPUNIT_ASSERT_EQUAL(ours.fingerprint(), data->getValue<std::string>("fingerprint"));

        for (const auto& e : requests) {
            const Answer a = send(original.port(), e);
            const Answer b = send(oursPort, e);
            ++outcome.requests;
            // No allow-list entry can excuse a server that did not answer.
            if (a.kind.rfind("no answer", 0) == 0 || b.kind.rfind("no answer", 0) == 0) {
                outcome.unexplained.push_back(phase + " | " + e.name + " | original: " + a.kind +
                                              ", ours: " + b.kind);
                continue;
            }
            auto differences = compare(a, b);
            if (differences.empty()) ++outcome.alike;
            for (const auto& d : differences) {
                Allowed* by = nullptr;
                for (auto& entry : allowed) {
                    bool request = false, aspect = false;
                    for (const auto& g : entry.requests) request = request || globMatch(g, e.name);
                    for (const auto& g : entry.differs) aspect = aspect || globMatch(g, d.aspect);
                    if (request && aspect) {
                        by = &entry;
                        break;
                    }
                }
                std::cout << "  [" << (by ? by->key : "NOT ALLOWED") << "] " << phase << " | "
                          << e.name << " | " << d.aspect << ": " << d.detail << "\n";
                if (by)
                    by->used = true;
                else
                    outcome.unexplained.push_back(phase + " | " + e.name + " (" + e.method + " " +
                                                  shortText(e.target, 80) + ") | " + d.aspect +
                                                  ": " + d.detail);
            }
        }
        CPPUNIT_ASSERT_MESSAGE("the original rportd stopped during the run", original.running());
        CPPUNIT_ASSERT_MESSAGE(tail(ours.output()), ours.running());
        // Nothing a request carried may have forged a line in our log.
        const std::string log = ours.output();
        CPPUNIT_ASSERT_MESSAGE(tail(log), log.find("\n[forged]") == std::string::npos);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(tail(log), 0, ours.stop());
    }

    // admin (Administrators) and viewer (Users); bcrypt made by our rportd.
    static std::string apiUsers() {
        auto hash = [](const std::string& password) {
            std::string h = shellOutput("printf '%s' '" + password + "' | '" + rportdBinary() +
                                        "' --hash-password");
            while (!h.empty() && (h.back() == '\n' || h.back() == '\r')) h.pop_back();
            if (h.rfind("$2", 0) != 0)
                throw std::runtime_error("rportd --hash-password gave: " + h);
            return h;
        };
        return "[{\"username\":\"admin\",\"password\":\"" + hash("foobaz") +
               "\",\"groups\":[\"Administrators\"]},{\"username\":\"viewer\",\"password\":\"" +
               hash("viewer-pw") + "\",\"groups\":[\"Users\"]}]\n";
    }

public:
    void allowListAndDocumentationAgree() {
        auto allowed = loadAllowList(allowListPath());
        auto documented = documentedDifferences(docPath());
        CPPUNIT_ASSERT_MESSAGE("no API differences table found in docs/configuration.md",
                               !documented.empty());
        std::set<std::string> keys;
        for (const auto& a : allowed) {
            CPPUNIT_ASSERT_MESSAGE("duplicate allow-list key " + a.key, keys.insert(a.key).second);
            auto row = documented.find(a.key);
            CPPUNIT_ASSERT_MESSAGE(
                "allow-list entry `" + a.key + "` is not in docs/configuration.md",
                row != documented.end());
            const bool docPending = row->second.find("pending /login") != std::string::npos;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("`" + a.key + "`: pending /login in one list only",
                                         a.pending, docPending);
        }
        for (const auto& [key, row] : documented)
            CPPUNIT_ASSERT_MESSAGE("documented difference `" + key + "` is not in the allow-list",
                                   keys.count(key) == 1);
    }

    void bothServersAnswerAlike() {
        if (originalBinary().empty())
            return skipTest("the original rportd (../shared/interop/bin/rportd) is not here");
        auto allowed = loadAllowList(allowListPath());
        Outcome outcome;

        Requests main;
        seedExamples(main);
        listOptions(main);
        getOne(main);
        create(main);
        remove(main);
        clients(main);
        authentication(main);
        routes(main);
        login(main);
        slashes(main);
        runPhase("auth_file", "  auth_file = \"@DATA@/client-auth.json\"\n", main.list, allowed,
                 outcome);

        Requests readOnly;
        writesRefused(readOnly, "read-only");
        runPhase("auth_write = false",
                 "  auth_file = \"@DATA@/client-auth.json\"\n  auth_write = false\n", readOnly.list,
                 allowed, outcome);

        Requests single;
        writesRefused(single, "static");
        runPhase("static auth", "  auth = \"clientAuth1:1234\"\n", single.list, allowed, outcome);

        std::cout << "\n"
                  << outcome.requests << " requests, " << outcome.alike << " answered alike\n";
        std::string report;
        for (const auto& u : outcome.unexplained) report += "\n  " + u;
        CPPUNIT_ASSERT_MESSAGE(
            "differences not in tests/integration/api-differences.json "
            "(and docs/configuration.md):" +
                report,
            outcome.unexplained.empty());
        std::string stale;
        for (const auto& a : allowed)
            if (!a.used) stale += "\n  " + a.key + (a.pending ? " (pending /login: flip it)" : "");
        CPPUNIT_ASSERT_MESSAGE(
            "allow-list entries that matched no difference (remove them here "
            "and in docs/configuration.md):" +
                stale,
            stale.empty());
        CPPUNIT_ASSERT_MESSAGE("too few requests: " + std::to_string(outcome.requests),
                               outcome.requests >= 130);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DifferentialApiTest);
