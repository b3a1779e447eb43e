// The API listener end to end over real loopback HTTP: routing errors,
// authentication, authorisation, handler failures and malformed requests.
// The user directory here is a two-user table; the plugin-backed one is
// covered by the rportd integration tests.
#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <cppunit/extensions/HelperMacros.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "TestAuthenticator.h"
#include "api/ApiError.h"
#include "api/ApiResponse.h"
#include "api/ApiServer.h"

using namespace rportd::api;
using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

namespace {

class TwoUsers : public ApiUserDirectory {
public:
    std::atomic<bool> down{false};
    Result authenticate(std::string_view name, std::string_view password, ApiUser& user) override {
        if (down) return Result::Unavailable;
        if (name == "admin" && password == "foobaz") {
            user = ApiUser{"admin", {"Administrators"}};
            return Result::Authenticated;
        }
        if (name == "expired" && password == "old") return Result::PasswordExpired;
        if (name == "viewer" && password == "secret:with:colons") {
            user = ApiUser{"viewer", {"Users"}};
            return Result::Authenticated;
        }
        return Result::Rejected;
    }
    Result lookup(std::string_view name, ApiUser& user) override {
        if (down) return Result::Unavailable;
        if (name == "admin")
            user = ApiUser{"admin", {"Administrators"}};
        else if (name == "viewer")
            user = ApiUser{"viewer", {"Users"}};
        else
            return name == "expired" ? Result::PasswordExpired : Result::Rejected;
        return Result::Authenticated;
    }
};

// Records what reaches a logger, with the priority.
class RecordingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard<std::mutex> lock(mutex);
        messages.emplace_back(message.getPriority(), message.getText());
    }
    std::vector<std::pair<Poco::Message::Priority, std::string>> taken() {
        std::lock_guard<std::mutex> lock(mutex);
        return messages;
    }

private:
    std::mutex mutex;
    std::vector<std::pair<Poco::Message::Priority, std::string>> messages;
};

// admin:foobaz
const char* const kAdminAuth = "Authorization: Basic YWRtaW46Zm9vYmF6\r\n";

// The value of a header in a response head ("Name: value\r\n"), or "".
std::string headerIn(const std::string& head, const std::string& name) {
    size_t at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    at += name.size() + 4;
    return head.substr(at, head.find("\r\n", at) - at);
}

struct Reply {
    int status;
    std::string body;
    std::string contentType;
    std::string allow;
};

}  // namespace

class ApiServerTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ApiServerTest);
    CPPUNIT_TEST(unknownRouteIsJson404);
    CPPUNIT_TEST(wrongMethodIsJson405WithAllow);
    CPPUNIT_TEST(missingCredentialsIs401);
    CPPUNIT_TEST(wrongPasswordIs401);
    CPPUNIT_TEST(bearerTokensAreCheckedAndTheirUserLookedUp);
    CPPUNIT_TEST(passwordsMayContainColons);
    CPPUNIT_TEST(nonAdministratorsGet403OnAdminRoutes);
    CPPUNIT_TEST(backendDownIs503);
    CPPUNIT_TEST(expiredPasswordsAre401WithTheOriginalWords);
    CPPUNIT_TEST(handlerExceptionsBecomeJson500);
    CPPUNIT_TEST(malformedRequestsDoNotHurtTheServer);
    CPPUNIT_TEST(keepAliveServesManyRequestsOnOneConnection);
    CPPUNIT_TEST(headIsAnsweredLikeGetWithoutTheBody);
    CPPUNIT_TEST(curlHeadOnStatusIs200);
    CPPUNIT_TEST(brokenPercentEscapesAre400AndLoggedAtDebugOnly);
    CPPUNIT_TEST(escapedSlashStaysInItsSegment);
    CPPUNIT_TEST(absoluteFormReachesTheHandlerAsOriginForm);
    CPPUNIT_TEST(optionsAsteriskListsTheMethods);
    CPPUNIT_TEST_SUITE_END();

    TwoUsers users;
    Router router;
    std::unique_ptr<rport::test::TestAuthenticator> authenticator;
    std::unique_ptr<RequestDispatcher> dispatcher;
    std::unique_ptr<ApiServer> server;

    Reply call(const std::string& method, const std::string& uri, const std::string& user = "",
               const std::string& password = "", const std::string& rawAuth = "") {
        Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
        HTTPRequest req(method, uri, HTTPRequest::HTTP_1_1);
        if (!user.empty()) Poco::Net::HTTPBasicCredentials(user, password).authenticate(req);
        if (!rawAuth.empty()) req.set("Authorization", rawAuth);
        session.sendRequest(req);
        HTTPResponse res;
        std::istream& in = session.receiveResponse(res);
        std::string body;
        Poco::StreamCopier::copyToString(in, body);
        return Reply{res.getStatus(), body, res.getContentType(), res.get("Allow", "")};
    }

    // Sends raw bytes (the last request should say "Connection: close") and
    // returns everything the server answers until it closes.
    std::string rawExchange(const std::string& text) {
        Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server->port()));
        s.sendBytes(text.data(), static_cast<int>(text.size()));
        s.setReceiveTimeout(Poco::Timespan(5, 0));
        std::string all;
        char buf[4096];
        try {
            for (int n; (n = s.receiveBytes(buf, sizeof buf)) > 0;)
                all.append(buf, static_cast<size_t>(n));
        } catch (const Poco::Exception&) {
        }
        return all;
    }

    static std::string firstErrorField(const std::string& body, const std::string& field) {
        auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        return root->getArray("errors")->getObject(0)->getValue<std::string>(field);
    }

public:
    void setUp() override {
        router.add("GET", "/api/v1/status", Access::Authenticated, [](ApiContext& c) {
            sendJson(c.response, 200, "{\"data\":{\"user\":\"" + c.user->username + "\"}}");
        });
        router.add("GET", "/api/v1/clients-auth", Access::Administrators,
                   [](ApiContext& c) { sendJson(c.response, 200, "{\"data\":[]}"); });
        router.add("POST", "/api/v1/clients-auth", Access::Administrators,
                   [](ApiContext& c) { sendEmpty(c.response, 201); });
        router.add("GET", "/api/v1/clients-auth/{client_auth_id}", Access::Administrators,
                   [](ApiContext& c) {
                       sendJson(c.response, 200,
                                "{\"data\":{\"id\":\"" + c.param("client_auth_id") + "\"}}");
                   });
        router.add("GET", "/api/v1/echo-target", Access::Public, [](ApiContext& c) {
            sendJson(c.response, 200, "\"" + c.request.target + "|" + c.request.authority + "\"");
        });
        router.add("GET", "/api/v1/boom", Access::Public,
                   [](ApiContext&) { throw std::runtime_error("kaputt"); });
        authenticator = std::make_unique<rport::test::TestAuthenticator>(users);
        dispatcher = std::make_unique<RequestDispatcher>(router, authenticator->auth);
        server = std::make_unique<ApiServer>(*dispatcher, ApiServerOptions{});
        server->listen("127.0.0.1:0");
        server->start();
    }

    void tearDown() override {
        server->stop();
        server.reset();
    }

    void unknownRouteIsJson404() {
        Reply r = call("GET", "/api/v1/nothing-here", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=UTF-8"), r.contentType);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeRouteNotFound), firstErrorField(r.body, "code"));
        // Unknown routes are decided before authentication, as in the original.
        CPPUNIT_ASSERT_EQUAL(404, call("GET", "/api/v1/nothing-here").status);
    }

    void wrongMethodIsJson405WithAllow() {
        Reply r = call("DELETE", "/api/v1/clients-auth");
        CPPUNIT_ASSERT_EQUAL(405, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD, POST"), r.allow);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeMethodNotAllowed), firstErrorField(r.body, "code"));
    }

    void missingCredentialsIs401() {
        Reply r = call("GET", "/api/v1/status");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("unauthorized"), firstErrorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeUnauthorized), firstErrorField(r.body, "code"));
    }

    void wrongPasswordIs401() {
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "admin", "wrong").status);
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "nobody", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(401,
                             call("GET", "/api/v1/status", "", "", "Basic !!!not-base64").status);
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "", "", "Basic").status);
    }

    void bearerTokensAreCheckedAndTheirUserLookedUp() {
        // Not a JWT: a malformed request (400), never a 500 as in the original.
        Reply notJwt = call("GET", "/api/v1/status", "", "", "Bearer abc.def.ghi");
        CPPUNIT_ASSERT_EQUAL(400, notJwt.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_REQUEST"),
                             firstErrorField(notJwt.body, "code"));
        CPPUNIT_ASSERT_EQUAL(400, call("GET", "/api/v1/status", "", "", "Bearer undefined").status);

        rportd::http::HttpRequest login;
        login.peerAddress = "127.0.0.1";
        std::string admin =
            authenticator->auth.issueToken(ApiUser{"admin", {}}, 600, login, "127.0.0.1");
        Reply ok = call("GET", "/api/v1/status", "", "", "Bearer " + admin);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(ok.body, 200, ok.status);
        CPPUNIT_ASSERT(ok.body.find("\"user\":\"admin\"") != std::string::npos);
        // Groups come from the store now, not from the token.
        CPPUNIT_ASSERT_EQUAL(200,
                             call("GET", "/api/v1/clients-auth", "", "", "bearer " + admin).status);
        std::string viewer =
            authenticator->auth.issueToken(ApiUser{"viewer", {}}, 600, login, "127.0.0.1");
        CPPUNIT_ASSERT_EQUAL(
            403, call("GET", "/api/v1/clients-auth", "", "", "Bearer " + viewer).status);

        // Signed with another secret: forged, 401.
        rportd::auth::TokenSigner other("not the secret");
        rportd::auth::TokenClaims claims;
        claims.username = "admin";
        claims.sessionId = 1;
        claims.jti = "1";
        Reply forged = call("GET", "/api/v1/status", "", "", "Bearer " + other.sign(claims));
        CPPUNIT_ASSERT_EQUAL(401, forged.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_INVALID_TOKEN"),
                             firstErrorField(forged.body, "code"));

        // A user the store no longer knows, or a store that is down.
        std::string ghost =
            authenticator->auth.issueToken(ApiUser{"ghost", {}}, 600, login, "127.0.0.1");
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "", "", "Bearer " + ghost).status);
        users.down = true;
        CPPUNIT_ASSERT_EQUAL(503, call("GET", "/api/v1/status", "", "", "Bearer " + admin).status);
        users.down = false;
    }

    void passwordsMayContainColons() {
        Reply r = call("GET", "/api/v1/status", "viewer", "secret:with:colons");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":{\"user\":\"viewer\"}}"), r.body);
    }

    void nonAdministratorsGet403OnAdminRoutes() {
        Reply r = call("GET", "/api/v1/clients-auth", "viewer", "secret:with:colons");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "current user should belong to Administrators group to access this resource"),
            firstErrorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(200, call("GET", "/api/v1/clients-auth", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(201, call("POST", "/api/v1/clients-auth", "admin", "foobaz").status);
    }

    void backendDownIs503() {
        users.down = true;
        Reply r = call("GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeAuthBackendUnavailable),
                             firstErrorField(r.body, "code"));
    }

    void expiredPasswordsAre401WithTheOriginalWords() {
        Reply r = call("GET", "/api/v1/status", "expired", "old");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_PASSWORD_EXPIRED"),
                             firstErrorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("password has expired, please change your password"),
                             firstErrorField(r.body, "title"));
    }

    void handlerExceptionsBecomeJson500() {
        Reply r = call("GET", "/api/v1/boom");
        CPPUNIT_ASSERT_EQUAL(500, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeInternal), firstErrorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(200, call("GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void malformedRequestsDoNotHurtTheServer() {
        const char* garbage[] = {
            "\x01\x02\x03 garbage\r\n\r\n", "GET\r\n\r\n",
            "GET /api/v1/status HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",
            "GET /api/v1/status HTTP/9.9\r\n\r\n"};
        for (const char* g : garbage) {
            Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server->port()));
            s.sendBytes(g, static_cast<int>(std::strlen(g)));
            s.shutdownSend();
            char buf[512];
            s.setReceiveTimeout(Poco::Timespan(2, 0));
            try {
                while (s.receiveBytes(buf, sizeof buf) > 0) {
                }
            } catch (const Poco::Exception&) {
            }
        }
        CPPUNIT_ASSERT_EQUAL(200, call("GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void keepAliveServesManyRequestsOnOneConnection() {
        Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
        session.setKeepAlive(true);
        for (int i = 0; i < 50; ++i) {
            HTTPRequest req(HTTPRequest::HTTP_GET, "/api/v1/status", HTTPRequest::HTTP_1_1);
            req.setKeepAlive(true);
            Poco::Net::HTTPBasicCredentials("admin", "foobaz").authenticate(req);
            session.sendRequest(req);
            HTTPResponse res;
            std::string body;
            Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
            CPPUNIT_ASSERT_EQUAL(200, static_cast<int>(res.getStatus()));
        }
    }

    void headIsAnsweredLikeGetWithoutTheBody() {
        // HEAD then GET on one connection: the GET's status line must follow
        // the HEAD's head directly, so the HEAD answer carried no body.
        const std::string all =
            rawExchange(std::string("HEAD /api/v1/status HTTP/1.1\r\nHost: h\r\n") + kAdminAuth +
                        "\r\nGET /api/v1/status HTTP/1.1\r\nHost: h\r\n" + kAdminAuth +
                        "Connection: close\r\n\r\n");
        const size_t headEnd = all.find("\r\n\r\n");
        CPPUNIT_ASSERT_MESSAGE(all, headEnd != std::string::npos);
        const std::string head = all.substr(0, headEnd + 2);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, std::string("HTTP/1.1 200 OK\r\n"), head.substr(0, 17));
        const std::string rest = all.substr(headEnd + 4);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(all, std::string("HTTP/1.1 200 OK\r\n"), rest.substr(0, 17));
        const size_t getHeadEnd = rest.find("\r\n\r\n");
        const std::string getBody = rest.substr(getHeadEnd + 4);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":{\"user\":\"admin\"}}"), getBody);
        // Same headers as the GET, Content-Length included.
        CPPUNIT_ASSERT_EQUAL(std::to_string(getBody.size()), headerIn(head, "Content-Length"));
        CPPUNIT_ASSERT_EQUAL(headerIn(rest, "Content-Type"), headerIn(head, "Content-Type"));

        // Errors on HEAD keep their status and drop the body too; a variable route works as well.
        CPPUNIT_ASSERT_EQUAL(401, call("HEAD", "/api/v1/status").status);
        CPPUNIT_ASSERT_EQUAL(404, call("HEAD", "/api/v1/nothing-here").status);
        CPPUNIT_ASSERT_EQUAL(200,
                             call("HEAD", "/api/v1/clients-auth/abc", "admin", "foobaz").status);
        const std::string unauthorized =
            rawExchange("HEAD /api/v1/status HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 401 "), unauthorized.substr(0, 13));
        CPPUNIT_ASSERT(headerIn(unauthorized, "Content-Length") != "0");
        CPPUNIT_ASSERT_EQUAL(unauthorized.size(),
                             unauthorized.find("\r\n\r\n") + 4);  // nothing after the head

        // Wrong method on a GET route: HEAD is listed next to GET.
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD"),
                             call("PUT", "/api/v1/status", "admin", "foobaz").allow);
    }

    void curlHeadOnStatusIs200() {
        if (::access("/usr/bin/curl", X_OK) != 0) {
            std::puts("curl not installed: skipping");
            return;
        }
        // The check from the seed's instructions: curl -Iv -u admin:foobaz
        // http://HOST:PORT/api/v1/status
        const std::string command =
            "curl -sS -Iv -u admin:foobaz http://127.0.0.1:" + std::to_string(server->port()) +
            "/api/v1/status 2>&1";
        std::string output;
        FILE* pipe = ::popen(command.c_str(), "r");
        CPPUNIT_ASSERT(pipe != nullptr);
        char buf[1024];
        for (size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) output.append(buf, n);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(output, 0, ::pclose(pipe));
        CPPUNIT_ASSERT_MESSAGE(output,
                               output.find("> HEAD /api/v1/status HTTP/1.1") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(output, output.find("HTTP/1.1 200 OK") != std::string::npos);
        const std::string length =
            std::to_string(std::string("{\"data\":{\"user\":\"admin\"}}").size());
        CPPUNIT_ASSERT_MESSAGE(output,
                               output.find("Content-Length: " + length) != std::string::npos);
    }

    void brokenPercentEscapesAre400AndLoggedAtDebugOnly() {
        Poco::Logger& log = Poco::Logger::get("api-listener");
        Poco::AutoPtr<RecordingChannel> recorder(new RecordingChannel);
        Poco::AutoPtr<Poco::Channel> previousChannel(log.getChannel(), true);
        const int previousLevel = log.getLevel();
        log.setChannel(recorder);
        log.setLevel(Poco::Message::PRIO_DEBUG);
        size_t requests = 0;
        for (const char* id : {"%zz", "%4", "%", "a%", "%%41", "%4g"}) {
            // No credentials needed to get this answer: it comes before authentication.
            Reply r = call("GET", std::string("/api/v1/clients-auth/") + id);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 400, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("application/json; charset=UTF-8"), r.contentType);
            CPPUNIT_ASSERT_EQUAL(std::string(kCodeBadRequest), firstErrorField(r.body, "code"));
            CPPUNIT_ASSERT_EQUAL(std::string("invalid percent-encoding in the request path"),
                                 firstErrorField(r.body, "title"));
            ++requests;
        }
        CPPUNIT_ASSERT_EQUAL(400, call("DELETE", "/api/v1/nothing/%zz", "admin", "foobaz").status);
        ++requests;
        log.setLevel(previousLevel);
        log.setChannel(previousChannel);
        auto messages = recorder->taken();
        CPPUNIT_ASSERT_EQUAL(requests, messages.size());
        for (const auto& [priority, text] : messages) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE(text, static_cast<int>(Poco::Message::PRIO_DEBUG),
                                         static_cast<int>(priority));
        }
        CPPUNIT_ASSERT_EQUAL(200, call("GET", "/api/v1/status", "admin", "foobaz").status);
    }

    void escapedSlashStaysInItsSegment() {
        Reply r = call("GET", "/api/v1/clients-auth/x%2Fy", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":{\"id\":\"x/y\"}}"), r.body);
        CPPUNIT_ASSERT_EQUAL(404,
                             call("GET", "/api/v1/clients-auth/x/y", "admin", "foobaz").status);
    }

    void absoluteFormReachesTheHandlerAsOriginForm() {
        const std::string port = std::to_string(server->port());
        const std::string echoed =
            rawExchange("GET http://127.0.0.1:" + port +
                        "/api/v1/echo-target?x=%41 HTTP/1.1\r\nHost: elsewhere.example\r\n"
                        "Connection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(echoed, std::string("HTTP/1.1 200 OK\r\n"),
                                     echoed.substr(0, 17));
        CPPUNIT_ASSERT_EQUAL(std::string("\"/api/v1/echo-target?x=%41|127.0.0.1:" + port + "\""),
                             echoed.substr(echoed.find("\r\n\r\n") + 4));
        const std::string status =
            rawExchange("GET http://127.0.0.1:" + port + "/api/v1/status HTTP/1.1\r\nHost: h\r\n" +
                        kAdminAuth + "Connection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(status, std::string("HTTP/1.1 200 OK\r\n"),
                                     status.substr(0, 17));
        // Origin-form requests see the Host as the authority.
        const std::string viaHost = rawExchange(
            "GET /api/v1/echo-target HTTP/1.1\r\nHost: h:1\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("\"/api/v1/echo-target|h:1\""),
                             viaHost.substr(viaHost.find("\r\n\r\n") + 4));
    }

    void optionsAsteriskListsTheMethods() {
        const std::string reply =
            rawExchange("OPTIONS * HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(reply, std::string("HTTP/1.1 200 OK\r\n"),
                                     reply.substr(0, 17));
        CPPUNIT_ASSERT_EQUAL(std::string("GET, HEAD, POST, OPTIONS"), headerIn(reply, "Allow"));
        CPPUNIT_ASSERT_EQUAL(std::string("0"), headerIn(reply, "Content-Length"));
        // Elsewhere the asterisk is refused by the parser.
        const std::string refused = rawExchange("GET * HTTP/1.1\r\nHost: h\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(refused, std::string("HTTP/1.1 400 "), refused.substr(0, 13));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiServerTest);
