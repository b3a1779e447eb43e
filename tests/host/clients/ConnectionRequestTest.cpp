// The connection request as the original client sends it (captured from
// the original rport 0.9.13 talking to the original rportd), and the ways
// Go's decoder accepts or refuses other shapes of it.
#include <cppunit/extensions/HelperMacros.h>

#include "TempDir.h"
#include "clients/ConnectionRequest.h"

using rportd::clients::ConnectionRequest;
using rportd::clients::ConnectionRequestError;
using rportd::clients::parseConnectionRequest;

namespace {

std::string fixture(const std::string& name) {
    return rport::test::readFile(rport::test::sourceDir() + "/tests/fixtures/clients/" + name);
}

// The detail of the refusal, or "" when the request was accepted.
std::string refusal(const std::string& json) {
    try {
        parseConnectionRequest(json);
        return "";
    } catch (const ConnectionRequestError& e) {
        CPPUNIT_ASSERT_EQUAL(std::string("invalid connection request: Invalid JSON config"),
                             std::string(e.what()));
        return e.detail().empty() ? "?" : e.detail();
    }
}

}  // namespace

class ConnectionRequestTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConnectionRequestTest);
    CPPUNIT_TEST(readsWhatTheOriginalClientSends);
    CPPUNIT_TEST(nullAndMissingLeaveZeroValues);
    CPPUNIT_TEST(keysMatchIgnoringCaseAndUnknownOnesAreIgnored);
    CPPUNIT_TEST(wrongTypesAreRefused);
    CPPUNIT_TEST(malformedJsonIsRefused);
    CPPUNIT_TEST(rawPartsAreKeptCompact);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsWhatTheOriginalClientSends() {
        std::string text = fixture("connection-request.json");
        CPPUNIT_ASSERT(!text.empty());
        ConnectionRequest r = parseConnectionRequest(text);
        CPPUNIT_ASSERT_EQUAL(std::string("c1"), r.id);
        CPPUNIT_ASSERT_EQUAL(std::string("my-client"), r.name);
        CPPUNIT_ASSERT_EQUAL(std::string("a1c3c886-9d1e-4dfd-a9fc-d3bedd1c7fc2"), r.sessionId);
        CPPUNIT_ASSERT_EQUAL(std::string("Debian 12.11"), r.osFullName);
        CPPUNIT_ASSERT_EQUAL(std::string("KVM"), r.osVirtualizationSystem);
        CPPUNIT_ASSERT_EQUAL(std::string("0.9.13-10-gc3214387"), r.version);
        CPPUNIT_ASSERT_EQUAL(std::string("AMD EPYC"), r.cpuModelName);
        CPPUNIT_ASSERT_EQUAL(int64_t(2), r.numCpus);
        CPPUNIT_ASSERT_EQUAL(uint64_t(25275953152ULL), r.memoryTotal);
        CPPUNIT_ASSERT_EQUAL(std::string("UTC (UTC+00:00)"), r.timezone);
        CPPUNIT_ASSERT(r.ipv4 && r.ipv4->size() == 1 && r.ipv4->at(0) == "192.0.2.2");
        CPPUNIT_ASSERT(r.ipv6 && r.ipv6->size() == 2);
        CPPUNIT_ASSERT(r.tags && *r.tags == (std::vector<std::string>{"t1", "t2"}));
        CPPUNIT_ASSERT(r.labels && r.labels->at("city") == "Berlin" &&
                       r.labels->at("role") == "db");
        CPPUNIT_ASSERT_EQUAL(std::string("null"), r.remotesJson);
        CPPUNIT_ASSERT(r.clientConfigurationJson.rfind(
                           "{\"client\":{\"server\":\"ws://127.0.0.1:18080\"", 0) == 0);
        // Kept byte for byte, including Go's \u003c escapes.
        CPPUNIT_ASSERT(r.clientConfigurationJson.find("\\u003c") != std::string::npos);
        // The password never stays: "auth" keeps the id, "auth_pass" nothing.
        std::string expected = text.substr(text.find("{\"client\":{\"server\""));
        for (auto [from, to] :
             {std::pair<std::string, std::string>{"\"auth\":\"clientAuth1:1234\"",
                                                  "\"auth\":\"clientAuth1:********\""},
              {"\"auth_pass\":\"1234\"", "\"auth_pass\":\"********\""}}) {
            CPPUNIT_ASSERT(expected.find(from) != std::string::npos);
            expected.replace(expected.find(from), from.size(), to);
        }
        CPPUNIT_ASSERT(expected.rfind(r.clientConfigurationJson, 0) == 0);
        CPPUNIT_ASSERT(r.clientConfigurationJson.find("1234\"") == std::string::npos);
    }

    void nullAndMissingLeaveZeroValues() {
        ConnectionRequest r = parseConnectionRequest(
            R"({"ID":null,"Name":"n","NumCPUs":null,"Tags":null,"Labels":null,"IPv4":[],"ClientConfiguration":null})");
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.id);
        CPPUNIT_ASSERT_EQUAL(std::string("n"), r.name);
        CPPUNIT_ASSERT_EQUAL(int64_t(0), r.numCpus);
        CPPUNIT_ASSERT(!r.tags);
        CPPUNIT_ASSERT(!r.labels);
        CPPUNIT_ASSERT(!r.ipv6);
        CPPUNIT_ASSERT(r.ipv4 && r.ipv4->empty());  // [] stays [], not null
        CPPUNIT_ASSERT_EQUAL(std::string("null"), r.clientConfigurationJson);
        // A null element of a string list is an empty string, as in Go.
        r = parseConnectionRequest(R"({"Tags":["a",null],"Labels":{"k":null}})");
        CPPUNIT_ASSERT(*r.tags == (std::vector<std::string>{"a", ""}));
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.labels->at("k"));
        // An empty object and a bare null are empty requests.
        CPPUNIT_ASSERT_EQUAL(std::string(""), parseConnectionRequest("{}").id);
        CPPUNIT_ASSERT_EQUAL(std::string(""), parseConnectionRequest(" null ").id);
    }

    void keysMatchIgnoringCaseAndUnknownOnesAreIgnored() {
        ConnectionRequest r = parseConnectionRequest(
            R"({"id":"a","NAME":"b","numcpus":4,"Future":{"x":[1,2]},"sessionid":"s"})");
        CPPUNIT_ASSERT_EQUAL(std::string("a"), r.id);
        CPPUNIT_ASSERT_EQUAL(std::string("b"), r.name);
        CPPUNIT_ASSERT_EQUAL(int64_t(4), r.numCpus);
        CPPUNIT_ASSERT_EQUAL(std::string("s"), r.sessionId);
        // The last of two spellings wins.
        CPPUNIT_ASSERT_EQUAL(std::string("second"),
                             parseConnectionRequest(R"({"ID":"first","id":"second"})").id);
        // Escapes in strings are decoded.
        CPPUNIT_ASSERT_EQUAL(std::string("h\xC3\xA9 \"x\""),
                             parseConnectionRequest(R"({"Name":"h\u00e9 \"x\""})").name);
    }

    void wrongTypesAreRefused() {
        CPPUNIT_ASSERT(!refusal(R"({"NumCPUs":"2"})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"NumCPUs":2.5})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"NumCPUs":2.0})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"NumCPUs":1e2})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"NumCPUs":99999999999999999999})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"MemoryTotal":-1})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"ID":5})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Name":true})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Tags":"t1"})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Tags":[1]})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Labels":{"a":1}})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Labels":[]})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Remotes":{}})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"Remotes":["a"]})").empty());
        CPPUNIT_ASSERT(!refusal(R"({"ClientConfiguration":"x"})").empty());
        CPPUNIT_ASSERT(!refusal(R"(["ID"])").empty());
        CPPUNIT_ASSERT(!refusal(R"("x")").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("cannot read string into field NumCPUs of type int"),
                             refusal(R"({"NumCPUs":"2"})"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), refusal(R"({"MemoryTotal":18446744073709551615})"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), refusal(R"({"NumCPUs":-3,"Remotes":[null,{}]})"));
    }

    void malformedJsonIsRefused() {
        for (const char* bad :
             {"", "{", R"({"ID":"a",})", R"({"ID":"a"} x)", "{'ID':1}", R"({"ID":"\x"})",
              "{\"ID\":\"a\nb\"}", R"({"NumCPUs":01})", R"({"NumCPUs":-})", "nul"})
            CPPUNIT_ASSERT_MESSAGE(bad, !refusal(bad).empty());
        std::string deep(100000, '[');
        CPPUNIT_ASSERT(!refusal(R"({"Remotes":)" + deep).empty());
    }

    void rawPartsAreKeptCompact() {
        ConnectionRequest r = parseConnectionRequest(
            "{ \"ClientConfiguration\" : { \"a\" : [ 1 , \"x y\" ] } , \"Remotes\" : [ { } ] }");
        CPPUNIT_ASSERT_EQUAL(std::string("{\"a\":[1,\"x y\"]}"), r.clientConfigurationJson);
        CPPUNIT_ASSERT_EQUAL(std::string("[{}]"), r.remotesJson);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConnectionRequestTest);
