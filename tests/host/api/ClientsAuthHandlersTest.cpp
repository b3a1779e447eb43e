// /api/v1/clients-auth against hostile input: which ids can be created (and
// then always read and deleted again), bodies that try to smuggle fields,
// empty list and force parameters, and values that try to forge log lines.
// The rule is tested directly; the rest through the real rportd with the
// file backend, whose log is what an operator would read.
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>

#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"
#include "api/handlers/ClientsAuthHandlers.h"

using namespace rport::test;
using rportd::api::kMaxClientAuthIdCharacters;
using rportd::api::newClientAuthIdProblem;

namespace {

const char* kForgedLine = "2026/12/01 00:00:00 info: forged line";

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", c);
            out += escape;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string repeated(const std::string& unit, size_t times) {
    std::string out;
    for (size_t i = 0; i < times; ++i) out += unit;
    return out;
}

int count(const std::string& listBody) {
    return Poco::JSON::Parser()
        .parse(listBody)
        .extract<Poco::JSON::Object::Ptr>()
        ->getObject("meta")
        ->getValue<int>("count");
}

}  // namespace

class ClientsAuthHandlersTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientsAuthHandlersTest);
    CPPUNIT_TEST(idRule);
    CPPUNIT_TEST(everyCreatableIdCanBeReadAndDeleted);
    CPPUNIT_TEST(idsThatCouldNeverBeReachedOrWouldForgeLogsAreRefused);
    CPPUNIT_TEST(smuggledFieldsAndOddBodiesCreateNothing);
    CPPUNIT_TEST(valuesInLogLinesAreEscaped);
    CPPUNIT_TEST(emptyParametersAreAbsentWhereTheOriginalSaysSo);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> dir;
    std::unique_ptr<RportdProcess> rportd;
    uint16_t port = 0;

    HttpReply get(const std::string& path) {
        return httpCall(port, "GET", path, "admin", "foobaz");
    }
    HttpReply post(const std::string& body, const std::string& type = "application/json") {
        return httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz", body, type);
    }
    HttpReply del(const std::string& encodedIdAndQuery) {
        return httpCall(port, "DELETE", "/api/v1/clients-auth/" + encodedIdAndQuery, "admin",
                        "foobaz");
    }
    int listed() { return count(get("/api/v1/clients-auth").body); }

public:
    void setUp() override {
        dir = std::make_unique<TempDir>();
        // Ids nobody can create through the API any more, as a file edited by
        // hand (or written by an older server) may still hold them.
        const std::string file = dir->write(
            "client-auth.json", "{\n  \"clientAuth1\": \"1234\",\n  " +
                                    jsonString(std::string("evil\n") + kForgedLine) +
                                    ": \"pw1234\",\n  \"esc\\u001b[2Jx\": \"pw1234\"\n}\n");
        const std::string config = dir->write(
            "rportd.conf", "[server]\naddress = \"127.0.0.1:0\"\nauth_file = \"" + file +
                               "\"\ndata_dir = \"" + dir->file("data") +
                               "\"\n[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n"
                               "[logging]\nlog_level = \"debug\"\n");
        rportd =
            std::make_unique<RportdProcess>(std::vector<std::string>{"-c", config}, dir->path());
        port = rportd->waitForApiPort();
    }

    void tearDown() override {
        if (rportd) CPPUNIT_ASSERT_EQUAL_MESSAGE(rportd->output(), 0, rportd->stop());
        rportd.reset();
        dir.reset();
    }

    void idRule() {
        CPPUNIT_ASSERT_EQUAL(std::string(""), newClientAuthIdProblem("abc"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), newClientAuthIdProblem("x/y/z"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), newClientAuthIdProblem(" a b "));
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             newClientAuthIdProblem(std::string(kMaxClientAuthIdCharacters, 'a')));
        // Characters, not bytes: 100 four-byte characters are 400 bytes.
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             newClientAuthIdProblem(repeated("\xf0\x9f\x94\x91", 100)));
        CPPUNIT_ASSERT_EQUAL(std::string("Min size is 3."), newClientAuthIdProblem("ab"));
        CPPUNIT_ASSERT_EQUAL(std::string("Min size is 3."), newClientAuthIdProblem(""));
        // The original counts bytes for the minimum: one 2-byte character and one more is enough.
        CPPUNIT_ASSERT_EQUAL(std::string(""), newClientAuthIdProblem("\xc3\xa9x"));
        CPPUNIT_ASSERT_EQUAL(std::string("Max size is 100 characters."),
                             newClientAuthIdProblem(std::string(101, 'a')));
        CPPUNIT_ASSERT_EQUAL(std::string("Max size is 100 characters."),
                             newClientAuthIdProblem(repeated("\xc3\xa9", 101)));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Control characters are not allowed (U+000A at character 5)."),
            newClientAuthIdProblem(std::string("evil\n") + kForgedLine));
        CPPUNIT_ASSERT_EQUAL(
            std::string("Control characters are not allowed (U+0000 at character 3)."),
            newClientAuthIdProblem(std::string("ab\0cd", 5)));
        for (const char* bad :
             {"tab\tid", "esc\x1b[31m", "del\x7fid", "nel\xc2\x85id", "csi\xc2\x9bid"})
            CPPUNIT_ASSERT_MESSAGE(bad,
                                   newClientAuthIdProblem(bad).find("Control characters") == 0);
        for (const char* bad : {"bad\xffid", "cut\xe2\x82", "\xc0\xafslash", "sur\xed\xa0\x80"})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, std::string("The ID must be UTF-8 text."),
                                         newClientAuthIdProblem(bad));
    }

    void everyCreatableIdCanBeReadAndDeleted() {
        const std::vector<std::string> ids = {
            "abc",
            std::string(kMaxClientAuthIdCharacters, 'M'),
            repeated("\xc3\xa9", kMaxClientAuthIdCharacters),
            repeated("\xf0\x9f\x94\x91", kMaxClientAuthIdCharacters),
            "x/y/z",
            "/lead",
            "trail/",
            " with spaces ",
            "a+b",
            "per%cent",
            "%41%2F",
            "q?x#y&z=1",
            "...",
            "../",
            "q\"uo\\te",
            "\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-1",
        };
        const int before = listed();
        for (const std::string& id : ids) {
            HttpReply created = post("{\"id\":" + jsonString(id) + ",\"password\":\"abcd1234\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id + ": " + created.body, 201, created.status);
            HttpReply read = get("/api/v1/clients-auth/" + percentEncoded(id));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id + ": " + read.body, 200, read.status);
            auto data =
                Poco::JSON::Parser().parse(read.body).extract<Poco::JSON::Object::Ptr>()->getObject(
                    "data");
            CPPUNIT_ASSERT_EQUAL(id, data->getValue<std::string>("id"));
            HttpReply removed = del(percentEncoded(id));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id + ": " + removed.body, 204, removed.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 404,
                                         get("/api/v1/clients-auth/" + percentEncoded(id)).status);
        }
        CPPUNIT_ASSERT_EQUAL(before, listed());
    }

    void idsThatCouldNeverBeReachedOrWouldForgeLogsAreRefused() {
        struct Case {
            std::string idJson, detail;
        } cases[] = {
            {jsonString(std::string("evil\n") + kForgedLine),
             "Control characters are not allowed (U+000A at character 5)."},
            {"\"nul\\u0000id\"", "Control characters are not allowed (U+0000 at character 4)."},
            {"\"esc\\u001b[31mred\"",
             "Control characters are not allowed (U+001B at character 4)."},
            {"\"nel\\u0085id\"", "Control characters are not allowed (U+0085 at character 4)."},
            {"\"" + std::string(101, 'L') + "\"", "Max size is 100 characters."},
            // Once answered 201 and then 414 to every GET and DELETE.
            {"\"" + std::string(9000, 'H') + "\"", "Max size is 100 characters."},
        };
        const int before = listed();
        for (const auto& c : cases) {
            HttpReply r = post("{\"id\":" + c.idJson + ",\"password\":\"abcd1234\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.idJson.substr(0, 40) + ": " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_REQUEST"),
                                 errorField(r.body, "code"));
            CPPUNIT_ASSERT_EQUAL(std::string("Invalid or missing ID."),
                                 errorField(r.body, "title"));
            CPPUNIT_ASSERT_EQUAL(c.detail, errorField(r.body, "detail"));
        }
        HttpReply notUtf8 = post(
            "{\"id\":\"bad\xff"
            "id\",\"password\":\"abcd1234\"}");
        CPPUNIT_ASSERT_EQUAL(400, notUtf8.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_REQUEST"),
                             errorField(notUtf8.body, "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid JSON data."), errorField(notUtf8.body, "title"));
        CPPUNIT_ASSERT_EQUAL(before, listed());
    }

    void smuggledFieldsAndOddBodiesCreateNothing() {
        const int before = listed();
        struct Case {
            std::string body, contentType, title;
        } cases[] = {
            {R"({"id":"a","password":"abcd1234","id\u0000":"smuggled"})", "application/json",
             "Invalid JSON data."},
            {R"({"id\u0000":"smuggled","password":"abcd1234"})", "application/json",
             "Invalid JSON data."},
            {"null", "application/json", "Invalid or missing ID."},
            {R"({"id":"form1","password":"abcd1234"})", "application/x-www-form-urlencoded",
             "Missing body with json data."},
            {"id=form2&password=abcd1234", "application/x-www-form-urlencoded",
             "Missing body with json data."},
            {R"({"id":"trail1","password":"abcd1234"} x)", "application/json",
             "Invalid JSON data."},
        };
        for (const auto& c : cases) {
            HttpReply r = post(c.body, c.contentType);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.body + ": " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.body, c.title, errorField(r.body, "title"));
            CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_REQUEST"),
                                 errorField(r.body, "code"));
            // No parser message leaks out ("Attempt to set value on an empty stack").
            CPPUNIT_ASSERT_MESSAGE(r.body, r.body.find("stack") == std::string::npos);
        }
        CPPUNIT_ASSERT_EQUAL(before, listed());
        CPPUNIT_ASSERT_EQUAL(404, get("/api/v1/clients-auth/smuggled").status);
    }

    void valuesInLogLinesAreEscaped() {
        // Deleting the ids the file holds logs them, escaped and on one line.
        HttpReply r = del(percentEncoded(std::string("evil\n") + kForgedLine));
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
        CPPUNIT_ASSERT_EQUAL(204, del(percentEncoded("esc\x1b[2Jx")).status);
        CPPUNIT_ASSERT_EQUAL(201, post(R"({"id":"plain1","password":"abcd1234"})").status);
        // A failed login with a line break in the user name (the security log line).
        CPPUNIT_ASSERT_EQUAL(401, httpCall(port, "GET", "/api/v1/status",
                                           std::string("mallory\n") + kForgedLine, "x")
                                      .status);

        CPPUNIT_ASSERT(rportd->waitForOutput("ClientAuth \"plain1\" created."));
        const std::string log = rportd->output();
        CPPUNIT_ASSERT_MESSAGE(log, log.find("ClientAuth \"evil\\n" + std::string(kForgedLine) +
                                             "\" deleted.") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            log, log.find("ClientAuth \"esc\\x1b[2Jx\" deleted.") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(
            log, log.find("to the API as \"mallory\\n2026/12/01") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, log.find("\n" + std::string(kForgedLine)) == std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(log, log.find('\x1b') == std::string::npos);
    }

    void emptyParametersAreAbsentWhereTheOriginalSaysSo() {
        // page[limit]= is no limit, page[offset]= is a 400 (both as in the original).
        HttpReply all = get("/api/v1/clients-auth?page[limit]=");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all.body, 200, all.status);
        CPPUNIT_ASSERT_EQUAL(3, count(all.body));
        HttpReply offset = get("/api/v1/clients-auth?page[offset]=");
        CPPUNIT_ASSERT_EQUAL(400, offset.status);
        CPPUNIT_ASSERT_EQUAL(std::string("pagination offset must be a number"),
                             errorField(offset.body, "title"));
        CPPUNIT_ASSERT_EQUAL(200, get("/api/v1/clients-auth?sort=").status);
        // force= and a bare force delete as if force were not given.
        for (const char* id : {"force1", "force2"})
            CPPUNIT_ASSERT_EQUAL(
                201, post("{\"id\":\"" + std::string(id) + "\",\"password\":\"abcd1234\"}").status);
        CPPUNIT_ASSERT_EQUAL(204, del("force1?force=").status);
        CPPUNIT_ASSERT_EQUAL(204, del("force2?force").status);
        HttpReply blank = del("clientAuth1?force=%20");
        CPPUNIT_ASSERT_EQUAL(400, blank.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid force param  ."),
                             errorField(blank.body, "title"));
        CPPUNIT_ASSERT_EQUAL(200, get("/api/v1/clients-auth/clientAuth1").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientsAuthHandlersTest);
