// The opening handshake on parsed requests: RFC 6455's sample key, what
// makes an upgrade valid, the offered subprotocols, and the 101, 400 and
// 426 answers.
#include <cppunit/extensions/HelperMacros.h>

#include "net/Session.h"
#include "ws/Handshake.h"

using namespace rportd;
using namespace rportd::ws;

namespace {

http::HttpRequest validRequest() {
    http::HttpRequest request;
    request.method = "GET";
    request.target = "/";
    request.versionMinor = 1;
    request.headers = {{"Host", "server.example.com"},
                       {"Upgrade", "websocket"},
                       {"Connection", "Upgrade"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                       {"Sec-WebSocket-Version", "13"}};
    return request;
}

void setHeader(http::HttpRequest& request, const std::string& name, const std::string& value) {
    for (auto& field : request.headers) {
        if (field.first == name) {
            field.second = value;
            return;
        }
    }
    request.headers.emplace_back(name, value);
}

void removeHeader(http::HttpRequest& request, const std::string& name) {
    for (auto it = request.headers.begin(); it != request.headers.end(); ++it) {
        if (it->first == name) {
            request.headers.erase(it);
            return;
        }
    }
}

std::string headerOf(const http::HttpResponse& response, const std::string& name) {
    for (const auto& [field, value] : response.headers) {
        if (field == name) return value;
    }
    return "<absent>";
}

class NullSession : public net::Session {
public:
    size_t onInput(net::Connection&, const char*, size_t size) override { return size; }
};

}  // namespace

class HandshakeTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(HandshakeTest);
    CPPUNIT_TEST(sampleKeyGivesTheRfcAcceptValue);
    CPPUNIT_TEST(validRequestIsAccepted);
    CPPUNIT_TEST(tokensAreCaseInsensitiveAndListsMayHoldMore);
    CPPUNIT_TEST(subprotocolsAreSplitAndTrimmed);
    CPPUNIT_TEST(ordinaryRequestIsNotWebSocket);
    CPPUNIT_TEST(otherVersionsAreRefusedWith426);
    CPPUNIT_TEST(malformedUpgradesAreRefusedWith400);
    CPPUNIT_TEST(acceptAnswersWith101);
    CPPUNIT_TEST(acceptEchoesAChosenSubprotocol);
    CPPUNIT_TEST_SUITE_END();

public:
    void sampleKeyGivesTheRfcAcceptValue() {
        // RFC 6455 1.3.
        CPPUNIT_ASSERT_EQUAL(std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                             acceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    void validRequestIsAccepted() {
        UpgradeRequest upgrade = inspectUpgrade(validRequest());
        CPPUNIT_ASSERT(upgrade.valid());
        CPPUNIT_ASSERT_EQUAL(std::string("dGhlIHNhbXBsZSBub25jZQ=="), upgrade.key);
        CPPUNIT_ASSERT(upgrade.protocols.empty());
        CPPUNIT_ASSERT(upgrade.problem.empty());
    }

    void tokensAreCaseInsensitiveAndListsMayHoldMore() {
        http::HttpRequest request = validRequest();
        setHeader(request, "Upgrade", "WebSocket");
        setHeader(request, "Connection", "keep-alive, UPGRADE");
        CPPUNIT_ASSERT(inspectUpgrade(request).valid());
        // The token may also arrive in a second Connection field.
        setHeader(request, "Connection", "keep-alive");
        request.headers.emplace_back("connection", "upgrade");
        CPPUNIT_ASSERT(inspectUpgrade(request).valid());
        // A token is compared whole: "upgraded" is not "upgrade".
        removeHeader(request, "connection");
        setHeader(request, "Connection", "upgraded");
        CPPUNIT_ASSERT(inspectUpgrade(request).verdict == UpgradeRequest::Verdict::Malformed);
    }

    void subprotocolsAreSplitAndTrimmed() {
        http::HttpRequest request = validRequest();
        request.headers.emplace_back("Sec-WebSocket-Protocol", " rport-v1 ,chat,, x ");
        request.headers.emplace_back("sec-websocket-protocol", "second");
        UpgradeRequest upgrade = inspectUpgrade(request);
        CPPUNIT_ASSERT(upgrade.valid());
        const std::vector<std::string> expected{"rport-v1", "chat", "x", "second"};
        CPPUNIT_ASSERT(expected == upgrade.protocols);
        CPPUNIT_ASSERT(upgrade.offers("rport-v1"));
        CPPUNIT_ASSERT(!upgrade.offers("RPORT-V1"));  // subprotocol names are case-sensitive
    }

    void ordinaryRequestIsNotWebSocket() {
        http::HttpRequest request = validRequest();
        removeHeader(request, "Upgrade");
        UpgradeRequest upgrade = inspectUpgrade(request);
        CPPUNIT_ASSERT(upgrade.verdict == UpgradeRequest::Verdict::NotWebSocket);
        setHeader(request, "Upgrade", "h2c");
        CPPUNIT_ASSERT(inspectUpgrade(request).verdict == UpgradeRequest::Verdict::NotWebSocket);
        http::HttpResponse response;
        rejectUpgrade(response, upgrade);
        CPPUNIT_ASSERT_EQUAL(400, response.status);
    }

    void otherVersionsAreRefusedWith426() {
        for (const char* version : {"8", "12", "13, 8", "", "<absent>"}) {
            http::HttpRequest request = validRequest();
            if (std::string(version) == "<absent>") {
                removeHeader(request, "Sec-WebSocket-Version");
            } else {
                setHeader(request, "Sec-WebSocket-Version", version);
            }
            UpgradeRequest upgrade = inspectUpgrade(request);
            CPPUNIT_ASSERT_MESSAGE(version, upgrade.verdict == UpgradeRequest::Verdict::BadVersion);
            http::HttpResponse response;
            rejectUpgrade(response, upgrade);
            CPPUNIT_ASSERT_EQUAL(426, response.status);
            CPPUNIT_ASSERT_EQUAL(std::string("13"), headerOf(response, "Sec-WebSocket-Version"));
            CPPUNIT_ASSERT_EQUAL(std::string("websocket"), headerOf(response, "Upgrade"));
            CPPUNIT_ASSERT(!response.upgrade);
        }
    }

    void malformedUpgradesAreRefusedWith400() {
        auto check = [](http::HttpRequest request, const char* what) {
            UpgradeRequest upgrade = inspectUpgrade(request);
            CPPUNIT_ASSERT_MESSAGE(what, upgrade.verdict == UpgradeRequest::Verdict::Malformed);
            CPPUNIT_ASSERT_MESSAGE(what, !upgrade.problem.empty());
            http::HttpResponse response;
            rejectUpgrade(response, upgrade);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what, 400, response.status);
            CPPUNIT_ASSERT_MESSAGE(what, !response.upgrade);
            CPPUNIT_ASSERT_EQUAL(std::string("<absent>"),
                                 headerOf(response, "Sec-WebSocket-Version"));
        };
        http::HttpRequest request = validRequest();
        request.method = "POST";
        check(request, "POST");
        request = validRequest();
        request.versionMinor = 0;
        check(request, "HTTP/1.0");
        request = validRequest();
        removeHeader(request, "Connection");
        check(request, "no Connection");
        request = validRequest();
        removeHeader(request, "Sec-WebSocket-Key");
        check(request, "no key");
        for (const char* key :
             {"", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZXg=",
              "dGhlIHNhbXBsZSBub25j*Q==", "dGhlIHNhbXBsZSBub25jZQ==dGhl", "c2hvcnQ="}) {
            request = validRequest();
            setHeader(request, "Sec-WebSocket-Key", key);
            check(request, key);
        }
        request = validRequest();
        request.headers.emplace_back("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==");
        check(request, "two keys");
    }

    void acceptAnswersWith101() {
        http::HttpRequest request = validRequest();
        request.headers.emplace_back("Sec-WebSocket-Protocol", "rport-v1");
        UpgradeRequest upgrade = inspectUpgrade(request);
        http::HttpResponse response;
        response.body = "left over";
        bool made = false;
        acceptUpgrade(response, upgrade, [&made] {
            made = true;
            return std::make_unique<NullSession>();
        });
        CPPUNIT_ASSERT_EQUAL(101, response.status);
        CPPUNIT_ASSERT_EQUAL(std::string("websocket"), headerOf(response, "Upgrade"));
        CPPUNIT_ASSERT_EQUAL(std::string("Upgrade"), headerOf(response, "Connection"));
        CPPUNIT_ASSERT_EQUAL(std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
                             headerOf(response, "Sec-WebSocket-Accept"));
        // Offered, but not chosen: the rport listener answers like the original, without one.
        CPPUNIT_ASSERT_EQUAL(std::string("<absent>"), headerOf(response, "Sec-WebSocket-Protocol"));
        CPPUNIT_ASSERT(response.body.empty());
        CPPUNIT_ASSERT(response.upgrade);
        CPPUNIT_ASSERT(response.upgrade() != nullptr);
        CPPUNIT_ASSERT(made);
    }

    void acceptEchoesAChosenSubprotocol() {
        http::HttpRequest request = validRequest();
        request.headers.emplace_back("Sec-WebSocket-Protocol", "chat, rport-v1");
        UpgradeRequest upgrade = inspectUpgrade(request);
        http::HttpResponse response;
        acceptUpgrade(
            response, upgrade, [] { return std::make_unique<NullSession>(); }, "rport-v1");
        CPPUNIT_ASSERT_EQUAL(std::string("rport-v1"), headerOf(response, "Sec-WebSocket-Protocol"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HandshakeTest);
