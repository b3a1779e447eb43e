// /api/v1/clients over real loopback HTTP: the original's rendering (checked
// against answers captured from the original rportd), list options, access
// by user group, get and delete.
#include <Poco/JSON/Parser.h>
#include <cppunit/extensions/HelperMacros.h>

#include "HttpCall.h"
#include "TempDir.h"
#include "TestAuthenticator.h"
#include "api/ApiServer.h"
#include "api/RequestDispatcher.h"
#include "api/handlers/ClientsHandlers.h"
#include "clients/ClientStore.h"

using namespace rportd::api;
using namespace rportd::clients;
using rport::test::errorField;
using rport::test::httpCall;
using rport::test::HttpReply;

namespace {

constexpr int64_t kSecond = 1000000000;

std::string fixture(const std::string& name) {
    return rport::test::readFile(rport::test::sourceDir() + "/tests/fixtures/clients/" + name);
}

class Users : public ApiUserDirectory {
public:
    Result authenticate(std::string_view name, std::string_view password, ApiUser& user) override {
        if (name == "admin" && password == "foobaz") {
            user = ApiUser{"admin", {"Administrators"}};
            return Result::Authenticated;
        }
        if (name == "viewer" && password == "pw") {
            user = ApiUser{"viewer", {"Users", "Ops"}};
            return Result::Authenticated;
        }
        return Result::Rejected;
    }
    Result lookup(std::string_view name, ApiUser& user) override {
        if (name == "admin")
            user = ApiUser{"admin", {"Administrators"}};
        else if (name == "viewer")
            user = ApiUser{"viewer", {"Users", "Ops"}};
        else
            return Result::Rejected;
        return Result::Authenticated;
    }
};

// The captured client as the registry would hold it after the original
// client connected from 127.0.0.1 with credential clientAuth1.
// The original's answer as ours looks: the password in client_configuration
// replaced, the rest byte for byte.
std::string withoutPassword(std::string text) {
    for (auto [from, to] :
         {std::pair<std::string, std::string>{"\"auth\":\"clientAuth1:1234\"",
                                              "\"auth\":\"clientAuth1:********\""},
          {"\"auth_pass\":\"1234\"", "\"auth_pass\":\"********\""}}) {
        size_t at = text.find(from);
        CPPUNIT_ASSERT_MESSAGE("fixture lacks " + from, at != std::string::npos);
        text.replace(at, from.size(), to);
    }
    return text;
}

Client capturedClient() {
    Client c;
    c.id = "c1";
    applyRequest(c, parseConnectionRequest(fixture("connection-request.json")));
    c.address = "127.0.0.1";
    c.clientAuthId = "clientAuth1";
    return c;
}

}  // namespace

class ClientsApiTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientsApiTest);
    CPPUNIT_TEST(rendersLikeTheOriginal);
    CPPUNIT_TEST(listShowsDefaultFieldsSortedById);
    CPPUNIT_TEST(listSortsByOneColumn);
    CPPUNIT_TEST(listRejectsBadOptionsWithTheOriginalsWords);
    CPPUNIT_TEST(listFilters);
    CPPUNIT_TEST(listPages);
    CPPUNIT_TEST(listSelectsFieldsInTheOriginalsOrder);
    CPPUNIT_TEST(getShowsEverythingOrTheSelectedFields);
    CPPUNIT_TEST(getUnknownIs404);
    CPPUNIT_TEST(deleteOnlyDisconnectedClients);
    CPPUNIT_TEST(usersSeeClientsOfTheirGroups);
    CPPUNIT_TEST_SUITE_END();

    rport::test::TempDir dir;
    int64_t clock = 1796168392 * kSecond;
    Users users;
    std::unique_ptr<ClientRegistry> registry;
    Router router;
    std::unique_ptr<rport::test::TestAuthenticator> authenticator;
    std::unique_ptr<RequestDispatcher> dispatcher;
    std::unique_ptr<ApiServer> server;

    HttpReply get(const std::string& path, const std::string& user = "admin",
                  const std::string& pw = "foobaz") {
        return httpCall(server->port(), "GET", path, user, pw);
    }
    // The ids of a list answer, in order.
    static std::string ids(const std::string& body) {
        auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        std::string out;
        auto data = root->getArray("data");
        for (size_t i = 0; i < data->size(); ++i)
            out += (out.empty() ? "" : ",") +
                   data->getObject(static_cast<unsigned>(i))->getValue<std::string>("id");
        return out;
    }

    void connect(const std::string& id, const std::string& name, const std::string& os,
                 std::vector<std::string> tags, std::map<std::string, std::string> labels,
                 bool stay = true) {
        ConnectionRequest r;
        r.id = id;
        r.name = name;
        r.os = os;
        r.hostname = "host-" + id;
        r.version = "0.9.13";
        r.numCpus = static_cast<int64_t>(tags.size());
        r.tags = std::move(tags);
        r.labels = std::move(labels);
        auto res = registry->connect(r, "auth-" + id, "192.0.2.1", {});
        CPPUNIT_ASSERT(res.accepted);
        if (!stay) registry->disconnect(id, res.connection);
    }

public:
    void setUp() override {
        // One client the viewer may see, written the way the original
        // stores it (there is no API to set allowed_user_groups yet).
        {
            ClientStore store(dir.file("clients.db"), true);
            Client shared;
            shared.id = "shared";
            shared.name = "Shared";
            shared.clientAuthId = "auth-shared";
            shared.allowedUserGroups = std::vector<std::string>{"Ops"};
            shared.disconnectedAt = clock - 10 * kSecond;
            store.save(shared);
        }
        registry = std::make_unique<ClientRegistry>(RegistryOptions{}, [this] { return clock; });
        registry->open(dir.file("clients.db"), true);
        connect("b", "beta", "Linux", {"web", "db"}, {{"city", "Berlin"}});
        connect("A", "Alpha", "Windows", {"web"}, {{"city", "Paris"}}, false);
        connect("c", "alpha", "linux", {}, {});

        addClientsRoutes(router, *registry);
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

    void rendersLikeTheOriginal() {
        // Byte for byte what the original answered for the same client.
        ClientView connected{std::make_shared<const Client>(capturedClient()), std::nullopt};
        // Except for the client's password, which is never kept.
        CPPUNIT_ASSERT_EQUAL(withoutPassword(fixture("client-connected.json")),
                             "{\"data\":" + renderClient(connected, {}) + "}");
        Client gone = capturedClient();
        gone.disconnectedAt = int64_t(1796168392023044122LL);
        ClientView disconnected{std::make_shared<const Client>(gone), std::nullopt};
        CPPUNIT_ASSERT_EQUAL(withoutPassword(fixture("client-disconnected.json")),
                             "{\"data\":" + renderClient(disconnected, {}) + "}");
        // Null lists and labels as the original shows them, and nanosecond
        // times without trailing zeros.
        Client bare;
        bare.id = "x";
        bare.disconnectedAt = 1796168392 * kSecond + 500000000;
        ClientView b{std::make_shared<const Client>(bare), 1796168392 * kSecond};
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"id\":\"x\",\"disconnected_at\":\"2026-12-01T23:39:52.5Z\",\"last_"
                        "heartbeat_at\":"
                        "\"2026-12-01T23:39:52Z\",\"connection_state\":\"disconnected\",\"tags\":"
                        "null,\"labels\":null}"),
            renderClient(b, std::set<std::string>{"id", "labels", "tags", "connection_state",
                                                  "disconnected_at", "last_heartbeat_at"}));
    }

    void listShowsDefaultFieldsSortedById() {
        HttpReply r = get("/api/v1/clients");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"data\":[{\"id\":\"A\",\"name\":\"Alpha\",\"hostname\":\"host-A\"},"
                        "{\"id\":\"b\",\"name\":\"beta\",\"hostname\":\"host-b\"},"
                        "{\"id\":\"c\",\"name\":\"alpha\",\"hostname\":\"host-c\"},"
                        "{\"id\":\"shared\",\"name\":\"Shared\",\"hostname\":\"\"}],"
                        "\"meta\":{\"count\":4}}"),
            r.body);
    }

    void listSortsByOneColumn() {
        // Case-insensitive, ties broken by id.
        CPPUNIT_ASSERT_EQUAL(std::string("A,c,b,shared"),
                             ids(get("/api/v1/clients?sort=name").body));
        CPPUNIT_ASSERT_EQUAL(std::string("shared,b,c,A"),
                             ids(get("/api/v1/clients?sort=-name").body));
        CPPUNIT_ASSERT_EQUAL(std::string("shared,b,c,A"), ids(get("/api/v1/clients?sort=os").body));
        CPPUNIT_ASSERT_EQUAL(std::string("shared,c,b,A"),
                             ids(get("/api/v1/clients?sort=-id").body));
    }

    void listRejectsBadOptionsWithTheOriginalsWords() {
        HttpReply r = get("/api/v1/clients?sort=id&sort=name");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Only one sort field is supported for clients."),
                             errorField(r.body, "title"));
        r = get("/api/v1/clients?sort=foo");
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "{\"errors\":[{\"code\":\"ERR_CODE_INVALID_REQUEST\",\"title\":\"unsupported "
                "sort field 'foo'\",\"detail\":\"\"}]}"),
            r.body);
        r = get("/api/v1/clients?filter%5Bid%5D%5Bgt%5D=1");
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported filter field 'filter[id][gt]'"),
                             errorField(r.body, "title"));
        r = get("/api/v1/clients?fields%5Bfoo%5D=id");
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported resource in fields: \"foo\""),
                             errorField(r.body, "title"));
        r = get("/api/v1/clients?fields%5Bclients%5D=");
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported field \"\" for resource \"clients\""),
                             errorField(r.body, "title"));
        r = get("/api/v1/clients?page%5Blimit%5D=501");
        CPPUNIT_ASSERT_EQUAL(std::string("pagination limit too big (501) maximum is 500"),
                             errorField(r.body, "title"));
        // Every problem at once, sort first.
        r = get("/api/v1/clients?page%5Blimit%5D=0&sort=bad");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT(r.body.find("unsupported sort field 'bad'") <
                       r.body.find("pagination limit must be positive"));
    }

    void listFilters() {
        CPPUNIT_ASSERT_EQUAL(std::string("A,c"),
                             ids(get("/api/v1/clients?filter%5Bname%5D=ALPHA").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b"),
                             ids(get("/api/v1/clients?filter%5Blabels%5D=city:%20berlin").body));
        CPPUNIT_ASSERT_EQUAL(std::string("A,b"),
                             ids(get("/api/v1/clients?filter%5Btags%5D=web").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b"),
                             ids(get("/api/v1/clients?filter%5Btags%5D=and(web,db)").body));
        CPPUNIT_ASSERT_EQUAL(std::string("A,b"),
                             ids(get("/api/v1/clients?filter%5Btags%5D=or(db,web)").body));
        CPPUNIT_ASSERT_EQUAL(
            std::string("A,shared"),
            ids(get("/api/v1/clients?filter%5Bconnection_state%5D=disconnected").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b,c"),
                             ids(get("/api/v1/clients?filter%5Bos%5D=lin*").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b,c"),
                             ids(get("/api/v1/clients?filter%5Bname|os%5D=beta,linux").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b"),
                             ids(get("/api/v1/clients?filter%5Bnum_cpus%5D=2").body));
        CPPUNIT_ASSERT_EQUAL(std::string("b"),
                             ids(get("/api/v1/clients?filter%5B*%5D=host-b").body));
        // Different filters are AND-ed; a '.' is literal.
        CPPUNIT_ASSERT_EQUAL(
            std::string("c"),
            ids(get("/api/v1/clients?filter%5Bos%5D=linux&filter%5Bname%5D=alpha").body));
        CPPUNIT_ASSERT_EQUAL(std::string(""),
                             ids(get("/api/v1/clients?filter%5Bname%5D=alph.").body));
        HttpReply r = get("/api/v1/clients?filter%5Btags%5D=web&page%5Blimit%5D=1");
        CPPUNIT_ASSERT(r.body.find("\"meta\":{\"count\":2}") != std::string::npos);
    }

    void listPages() {
        CPPUNIT_ASSERT_EQUAL(std::string("b,c"),
                             ids(get("/api/v1/clients?page%5Blimit%5D=2&page%5Boffset%5D=1").body));
        HttpReply r = get("/api/v1/clients?page%5Boffset%5D=10");
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[],\"meta\":{\"count\":4}}"), r.body);
    }

    void listSelectsFieldsInTheOriginalsOrder() {
        HttpReply r = get(
            "/api/v1/clients?filter%5Bid%5D=b&fields%5Bclients%5D=labels,tags,id,connection_state");
        CPPUNIT_ASSERT_EQUAL(
            std::string(
                "{\"data\":[{\"id\":\"b\",\"connection_state\":\"connected\",\"tags\":[\"web\","
                "\"db\"],\"labels\":{\"city\":\"Berlin\"}}],\"meta\":{\"count\":1}}"),
            r.body);
    }

    void getShowsEverythingOrTheSelectedFields() {
        HttpReply r = get("/api/v1/clients/b");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT(
            r.body.rfind("{\"data\":{\"id\":\"b\",\"name\":\"beta\",\"address\":\"192.0.2.1\",",
                         0) == 0);
        CPPUNIT_ASSERT(r.body.find("\"groups\":[],\"labels\":{\"city\":\"Berlin\"}}}") !=
                       std::string::npos);
        r = get("/api/v1/clients/A?fields%5Bclients%5D=id,disconnected_at");
        CPPUNIT_ASSERT_EQUAL(
            std::string("{\"data\":{\"id\":\"A\",\"disconnected_at\":\"2026-12-01T23:39:52Z\"}}"),
            r.body);
        r = get("/api/v1/clients/A?fields%5Bclients%5D=nope");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
    }

    void getUnknownIs404() {
        HttpReply r = get("/api/v1/clients/nope");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Client with id=\"nope\" not found."),
                             errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeClientNotFound), errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(
            404,
            httpCall(server->port(), "DELETE", "/api/v1/clients/nope", "admin", "foobaz").status);
        CPPUNIT_ASSERT_EQUAL(401, get("/api/v1/clients", "admin", "wrong").status);
    }

    void deleteOnlyDisconnectedClients() {
        HttpReply r = httpCall(server->port(), "DELETE", "/api/v1/clients/b", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Client is active, should be disconnected"),
                             errorField(r.body, "title"));
        r = httpCall(server->port(), "DELETE", "/api/v1/clients/A", "admin", "foobaz");
        CPPUNIT_ASSERT_EQUAL(204, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.body);
        CPPUNIT_ASSERT_EQUAL(404, get("/api/v1/clients/A").status);
        // Gone from clients.db too.
        registry = std::make_unique<ClientRegistry>();
        registry->open(dir.file("clients.db"), true);
        CPPUNIT_ASSERT(!registry->find("A"));
        CPPUNIT_ASSERT(registry->find("b"));
    }

    void usersSeeClientsOfTheirGroups() {
        HttpReply r = get("/api/v1/clients", "viewer", "pw");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("shared"), ids(r.body));
        CPPUNIT_ASSERT_EQUAL(200, get("/api/v1/clients/shared", "viewer", "pw").status);
        r = get("/api/v1/clients/b", "viewer", "pw");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Access denied to client(s) with ID(s): b"),
                             errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(
            403, httpCall(server->port(), "DELETE", "/api/v1/clients/b", "viewer", "pw").status);
        CPPUNIT_ASSERT_EQUAL(
            204,
            httpCall(server->port(), "DELETE", "/api/v1/clients/shared", "viewer", "pw").status);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientsApiTest);
