#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include "api/handlers/StatusHandler.h"

using namespace rportd::api;

class StatusRenderTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(StatusRenderTest);
    CPPUNIT_TEST(rendersSortedKeysInDataEnvelope);
    CPPUNIT_TEST_SUITE_END();

public:
    void rendersSortedKeysInDataEnvelope() {
        StatusInfo info;
        info.version = "1.2.3";
        info.connectUrl = {"http://0.0.0.0:8080"};
        info.pairingUrl = "https://pairing.example";
        info.clientsAuthSource = "Static Credentials";
        info.clientsAuthMode = "Read Only";
        info.usersAuthSource = "Static Credentials";
        info.usedPorts = {"20000-30000"};
        info.excludedPorts = {"1-1024"};
        info.fingerprint = "ab:1d:a0:16:60:29:62:23:ea:39:cc:a3:f9:17:13:39";
        std::string body = renderStatus(info, ClientCounts{3, 4});
        // The keys of a Go map are written sorted; find them in that order.
        const char* keys[] = {"auditlog",
                              "auth_header",
                              "caddy_integration_enabled",
                              "clients_auth_mode",
                              "clients_auth_source",
                              "clients_connected",
                              "clients_disconnected",
                              "connect_url",
                              "excluded_ports",
                              "fingerprint",
                              "group_permissions_enabled",
                              "monitoring_enabled",
                              "pairing_url",
                              "password_min_length",
                              "tunnel_host",
                              "tunnel_proxy_enabled",
                              "two_fa_delivery_method",
                              "two_fa_enabled",
                              "used_ports",
                              "users_auth_source",
                              "version"};
        size_t at = 0;
        for (const char* k : keys) {
            size_t pos = body.find(std::string("\"") + k + "\":");
            CPPUNIT_ASSERT_MESSAGE(k, pos != std::string::npos && pos >= at);
            at = pos;
        }
        auto data =
            Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getObject("data");
        CPPUNIT_ASSERT_EQUAL(3, data->getValue<int>("clients_connected"));
        CPPUNIT_ASSERT_EQUAL(4, data->getValue<int>("clients_disconnected"));
        CPPUNIT_ASSERT_EQUAL(std::string("Read Only"),
                             data->getValue<std::string>("clients_auth_mode"));
        CPPUNIT_ASSERT_EQUAL(std::string("http://0.0.0.0:8080"),
                             data->getArray("connect_url")->getElement<std::string>(0));
        CPPUNIT_ASSERT_EQUAL(info.fingerprint, data->getValue<std::string>("fingerprint"));
        // No audit log here: reported the way the original reports a disabled one.
        CPPUNIT_ASSERT_EQUAL(
            std::string("\"auditlog\":{\"enabled\":false,\"rotation\":\"monthly\"}"),
            body.substr(body.find("\"auditlog\""), body.find('}') + 1 - body.find("\"auditlog\"")));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StatusRenderTest);
