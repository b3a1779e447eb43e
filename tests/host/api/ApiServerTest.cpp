// The API listener end to end over real loopback HTTP: routing errors,
// authentication, authorisation, handler failures and malformed requests.
// The user directory here is a two-user table; the plugin-backed one is
// covered by the rportd integration tests.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <cstring>
#include <memory>

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
};

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
    CPPUNIT_TEST(bearerTokensAreNotYetAccepted);
    CPPUNIT_TEST(passwordsMayContainColons);
    CPPUNIT_TEST(nonAdministratorsGet403OnAdminRoutes);
    CPPUNIT_TEST(backendDownIs503);
    CPPUNIT_TEST(expiredPasswordsAre401WithTheOriginalWords);
    CPPUNIT_TEST(handlerExceptionsBecomeJson500);
    CPPUNIT_TEST(malformedRequestsDoNotHurtTheServer);
    CPPUNIT_TEST(keepAliveServesManyRequestsOnOneConnection);
    CPPUNIT_TEST_SUITE_END();

    TwoUsers users;
    Router router;
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

    static std::string firstErrorField(const std::string& body, const std::string& field) {
        auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        return root->getArray("errors")->getObject(0)->getValue<std::string>(field);
    }

public:
    void setUp() override {
        router.add("GET", "/api/v1/status", Access::Authenticated,
                   [](ApiContext& c) { sendJson(c.response, 200, "{\"data\":{\"user\":\"" + c.user->username + "\"}}"); });
        router.add("GET", "/api/v1/clients-auth", Access::Administrators,
                   [](ApiContext& c) { sendJson(c.response, 200, "{\"data\":[]}"); });
        router.add("POST", "/api/v1/clients-auth", Access::Administrators, [](ApiContext& c) { sendEmpty(c.response, 201); });
        router.add("GET", "/api/v1/boom", Access::Public, [](ApiContext&) { throw std::runtime_error("kaputt"); });
        dispatcher = std::make_unique<RequestDispatcher>(router, users);
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
        CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"), r.allow);
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
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "", "", "Basic !!!not-base64").status);
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "", "", "Basic").status);
    }

    void bearerTokensAreNotYetAccepted() {
        CPPUNIT_ASSERT_EQUAL(401, call("GET", "/api/v1/status", "", "", "Bearer abc.def.ghi").status);
    }

    void passwordsMayContainColons() {
        Reply r = call("GET", "/api/v1/status", "viewer", "secret:with:colons");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":{\"user\":\"viewer\"}}"), r.body);
    }

    void nonAdministratorsGet403OnAdminRoutes() {
        Reply r = call("GET", "/api/v1/clients-auth", "viewer", "secret:with:colons");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("current user should belong to Administrators group to access this resource"),
                             firstErrorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(200, call("GET", "/api/v1/clients-auth", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(201, call("POST", "/api/v1/clients-auth", "admin", "foobaz").status);
    }

    void backendDownIs503() {
        users.down = true;
        Reply r = call("GET", "/api/v1/status", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(503, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeAuthBackendUnavailable), firstErrorField(r.body, "code"));
    }

    void expiredPasswordsAre401WithTheOriginalWords() {
        Reply r = call("GET", "/api/v1/status", "expired", "old");
        CPPUNIT_ASSERT_EQUAL(401, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_PASSWORD_EXPIRED"), firstErrorField(r.body, "code"));
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
        const char* garbage[] = {"\x01\x02\x03 garbage\r\n\r\n", "GET\r\n\r\n",
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
};

CPPUNIT_TEST_SUITE_REGISTRATION(ApiServerTest);
