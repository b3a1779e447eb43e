// The /clients-auth documentation, curl example by curl example, against one
// backend (SCENARIO_BACKEND: static, file, sqlite or mariadb), plus every 400.
#include <cppunit/extensions/HelperMacros.h>

#include <Poco/JSON/Parser.h>

#include "ClientsAuthScenario.h"
#include "HttpCall.h"
#include "RportdProcess.h"
#include "TempDir.h"

using namespace rport::test;

namespace {

const std::vector<std::pair<std::string, std::string>> kSeed = {
    {"clientAuth1", "1234"}, {"admin", "123456"}, {"client1", "yienei5Ch"}, {"client2", "ieRi1Noo2"}};

Poco::JSON::Object::Ptr parse(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> ids(const std::string& body) {
    std::vector<std::string> out;
    auto data = parse(body)->getArray("data");
    for (size_t i = 0; i < data->size(); ++i) out.push_back(data->getObject(i)->getValue<std::string>("id"));
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}

int count(const std::string& body) { return parse(body)->getObject("meta")->getValue<int>("count"); }

}  // namespace

class ClientsAuthScenarioTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ClientsAuthScenarioTest);
    CPPUNIT_TEST(listsEverythingSortedById);
    CPPUNIT_TEST(filtersCaseInsensitivelyWithWildcards);
    CPPUNIT_TEST(paginates);
    CPPUNIT_TEST(getsOneAndAnswers404ForUnknown);
    CPPUNIT_TEST(addsThenRefusesDuplicates);
    CPPUNIT_TEST(deletesWithAndWithoutForce);
    CPPUNIT_TEST(rejectsBadBodies);
    CPPUNIT_TEST(roundTripsEdgeIds);
    CPPUNIT_TEST(rejectsBadListParameters);
    CPPUNIT_TEST(refusesWritesWhenReadOnly);
    CPPUNIT_TEST(storesNewSecretsHashedWhenAsked);
    CPPUNIT_TEST(statusReportsSourceAndMode);
    CPPUNIT_TEST_SUITE_END();

    std::unique_ptr<TempDir> dir;
    std::unique_ptr<ScenarioBackend> backend;
    std::unique_ptr<RportdProcess> rportd;
    uint16_t port = 0;

    bool isStatic() const { return backend->name() == "static"; }

    void start(const std::string& extraServer = "") {
        rportd.reset();
        std::string config = backend->config("data_dir = \"" + dir->file("data") + "\"\n" + extraServer) +
                             "[api]\naddress = \"127.0.0.1:0\"\nauth = \"admin:foobaz\"\n";
        std::string path = dir->write("rportd.conf", config);
        rportd = std::make_unique<RportdProcess>(std::vector<std::string>{"-c", path}, dir->path());
        port = rportd->waitForApiPort();
    }

    HttpReply get(const std::string& path) { return httpCall(port, "GET", path, "admin", "foobaz"); }
    HttpReply post(const std::string& body, const std::string& type = "application/json") {
        return httpCall(port, "POST", "/api/v1/clients-auth", "admin", "foobaz", body, type);
    }
    HttpReply del(const std::string& idAndQuery) {
        return httpCall(port, "DELETE", "/api/v1/clients-auth/" + idAndQuery, "admin", "foobaz");
    }

public:
    void setUp() override {
        dir = std::make_unique<TempDir>();
        backend = makeScenarioBackend(SCENARIO_BACKEND, *dir);
        std::string prepConfig =
            dir->write("prepare.conf", backend->config("data_dir = \"" + dir->file("data") + "\"\n"));
        backend->prepare(prepConfig);
        start();
        if (backend->seedsThroughApi())
            for (const auto& [id, pw] : kSeed)
                CPPUNIT_ASSERT_EQUAL(201, post("{\"id\":\"" + id + "\",\"password\":\"" + pw + "\"}").status);
    }

    void tearDown() override {
        if (rportd) CPPUNIT_ASSERT_EQUAL_MESSAGE(rportd->output(), 0, rportd->stop());
        rportd.reset();
        backend.reset();
        dir.reset();
    }

    void listsEverythingSortedById() {
        HttpReply r = get("/api/v1/clients-auth");
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 200, r.status);
        if (isStatic()) {
            CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[{\"id\":\"clientAuth1\",\"password\":\"1234\","
                                             "\"password_hashed\":false}],\"meta\":{\"count\":1}}"),
                                 r.body);
            return;
        }
        CPPUNIT_ASSERT_EQUAL(std::string("admin,client1,client2,clientAuth1"), joined(ids(r.body)));
        CPPUNIT_ASSERT_EQUAL(4, count(r.body));
        auto first = parse(r.body)->getArray("data")->getObject(0);
        CPPUNIT_ASSERT_EQUAL(std::string("123456"), first->getValue<std::string>("password"));
    }

    void filtersCaseInsensitivelyWithWildcards() {
        if (isStatic()) {
            CPPUNIT_ASSERT_EQUAL(1, count(get("/api/v1/clients-auth?filter[id]=CLIENTAUTH*").body));
            CPPUNIT_ASSERT_EQUAL(0, count(get("/api/v1/clients-auth?filter[id]=x*").body));
            return;
        }
        CPPUNIT_ASSERT_EQUAL(std::string("client1,client2,clientAuth1"),
                             joined(ids(get("/api/v1/clients-auth?filter[id]=client*").body)));
        CPPUNIT_ASSERT_EQUAL(std::string("client1"), joined(ids(get("/api/v1/clients-auth?filter[id]=CLIENT1").body)));
        CPPUNIT_ASSERT_EQUAL(std::string("admin,client2"),
                             joined(ids(get("/api/v1/clients-auth?filter[id]=admin,client2").body)));
        CPPUNIT_ASSERT_EQUAL(std::string("admin,client2"),
                             joined(ids(get("/api/v1/clients-auth?filter[id]=or(ADMIN,Client2)").body)));
        CPPUNIT_ASSERT_EQUAL(std::string("client1,clientAuth1"),
                             joined(ids(get("/api/v1/clients-auth?filter[id]=and(c*,*1)").body)));
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1"),
                             joined(ids(get("/api/v1/clients-auth?filter[*]=*auth*").body)));
        // Two different filter keys are AND-ed.
        CPPUNIT_ASSERT_EQUAL(std::string("client2"),
                             joined(ids(get("/api/v1/clients-auth?filter[id]=client*&filter[*]=*2").body)));
        HttpReply none = get("/api/v1/clients-auth?filter[id]=nothing*");
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[],\"meta\":{\"count\":0}}"), none.body);
    }

    void paginates() {
        if (isStatic()) {
            HttpReply r = get("/api/v1/clients-auth?page[offset]=1");
            CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":[],\"meta\":{\"count\":1}}"), r.body);
            return;
        }
        HttpReply r = get("/api/v1/clients-auth?page[limit]=2&page[offset]=1");
        CPPUNIT_ASSERT_EQUAL(std::string("client1,client2"), joined(ids(r.body)));
        CPPUNIT_ASSERT_EQUAL(4, count(r.body));
        r = get("/api/v1/clients-auth?page[limit]=2&page[offset]=3");
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1"), joined(ids(r.body)));
        r = get("/api/v1/clients-auth?page[offset]=10");
        CPPUNIT_ASSERT_EQUAL(std::string(""), joined(ids(r.body)));
        CPPUNIT_ASSERT_EQUAL(4, count(r.body));
        r = get("/api/v1/clients-auth?filter[id]=client*&page[limit]=1&page[offset]=1");
        CPPUNIT_ASSERT_EQUAL(std::string("client2"), joined(ids(r.body)));
        CPPUNIT_ASSERT_EQUAL(3, count(r.body));
    }

    void getsOneAndAnswers404ForUnknown() {
        HttpReply r = get("/api/v1/clients-auth/clientAuth1");
        CPPUNIT_ASSERT_EQUAL(200, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("{\"data\":{\"id\":\"clientAuth1\",\"password\":\"1234\",\"password_hashed\":false}}"),
                             r.body);
        r = get("/api/v1/clients-auth/nobody");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_NOT_FOUND"), errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("Client Auth with ID \"nobody\" not found"), errorField(r.body, "title"));
    }

    void addsThenRefusesDuplicates() {
        HttpReply r = post("{\"id\":\"client3\",\"password\":\"sung6Ahx\"}");
        if (isStatic()) {
            CPPUNIT_ASSERT_EQUAL(403, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_SINGLE"), errorField(r.body, "code"));
            CPPUNIT_ASSERT_EQUAL(std::string("Client authentication is enabled only for a single user."),
                                 errorField(r.body, "title"));
            return;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 201, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(""), r.body);
        CPPUNIT_ASSERT_EQUAL(std::string("sung6Ahx"),
                             parse(get("/api/v1/clients-auth/client3").body)->getObject("data")->getValue<std::string>("password"));
        CPPUNIT_ASSERT_EQUAL(5, count(get("/api/v1/clients-auth").body));
        r = post("{\"id\":\"client3\",\"password\":\"other-one\"}");
        CPPUNIT_ASSERT_EQUAL(409, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_ALREADY_EXIST"), errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("Client Auth with ID \"client3\" already exist."), errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(std::string("sung6Ahx"),
                             parse(get("/api/v1/clients-auth/client3").body)->getObject("data")->getValue<std::string>("password"));
        // It survives a restart.
        start();
        CPPUNIT_ASSERT_EQUAL(200, get("/api/v1/clients-auth/client3").status);
    }

    void deletesWithAndWithoutForce() {
        HttpReply r = del("client1");
        if (isStatic()) {
            CPPUNIT_ASSERT_EQUAL(403, r.status);
            CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_SINGLE"), errorField(r.body, "code"));
            return;
        }
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body, 204, r.status);
        CPPUNIT_ASSERT_EQUAL(404, get("/api/v1/clients-auth/client1").status);
        r = del("client1");
        CPPUNIT_ASSERT_EQUAL(404, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_CLIENT_AUTH_NOT_FOUND"), errorField(r.body, "code"));
        CPPUNIT_ASSERT_EQUAL(std::string("Client Auth with ID=\"client1\" not found."), errorField(r.body, "title"));
        r = del("client2?force=maybe");
        CPPUNIT_ASSERT_EQUAL(400, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid force param maybe."), errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(204, del("client2?force=true").status);
        CPPUNIT_ASSERT_EQUAL(204, del("admin?force=0").status);
        CPPUNIT_ASSERT_EQUAL(std::string("clientAuth1"), joined(ids(get("/api/v1/clients-auth").body)));
    }

    void rejectsBadBodies() {
        if (isStatic()) return;  // writes stop at the 403 before the body is read
        struct Case {
            std::string body, title, detailPart;
        } cases[] = {
            {"", "Missing body with json data.", ""},
            {"{\"id\": \"abc\", ", "Invalid JSON data.", ""},
            {"[1,2]", "Invalid JSON data.", ""},
            {"{\"id\":\"abcd\",\"password\":\"abcd\",\"role\":\"x\"}", "Invalid JSON data.", "unknown field \"role\""},
            {"{\"id\":\"ab\",\"password\":\"abcd\"}", "Invalid or missing ID.", "Min size is 3."},
            {"{\"password\":\"abcd\"}", "Invalid or missing ID.", "Min size is 3."},
            {"{\"id\":\"abcd\",\"password\":\"ab\"}", "Invalid or missing password.", "Min size is 3."},
            {"{\"id\":123,\"password\":\"abcd\"}", "Invalid JSON data.", "id"},
        };
        for (const auto& c : cases) {
            HttpReply r = post(c.body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.body + " -> " + r.body, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.body, c.title, errorField(r.body, "title"));
            CPPUNIT_ASSERT_MESSAGE(c.body + " -> " + r.body, errorField(r.body, "detail").find(c.detailPart) != std::string::npos);
            CPPUNIT_ASSERT_MESSAGE(r.body, !errorField(r.body, "code").empty());
        }
        // Over [api] max_request_bytes (10240 by default): refused unread.
        HttpReply big = post("{\"id\":\"abcd\",\"password\":\"" + std::string(20000, 'x') + "\"}");
        CPPUNIT_ASSERT_EQUAL(400, big.status);
        CPPUNIT_ASSERT_EQUAL(std::string("ERR_CODE_REQUEST_TOO_LARGE"), errorField(big.body, "code"));
        CPPUNIT_ASSERT_EQUAL(404, get("/api/v1/clients-auth/abcd").status);
        CPPUNIT_ASSERT_EQUAL(4, count(get("/api/v1/clients-auth").body));
    }

    void roundTripsEdgeIds() {
        if (isStatic()) return;
        // Every id the API creates can be read and deleted again, whatever the store.
        std::string longest;  // the most characters allowed, 2 bytes each
        for (int i = 0; i < 100; ++i) longest += "\xc3\xa9";
        for (const std::string& id : {std::string("abc"), longest, std::string("x/y/z"),
                                      std::string(" a_b%c "), std::string("q?x#y")}) {
            const std::string path = percentEncoded(id);
            HttpReply r = post("{\"id\":\"" + id + "\",\"password\":\"abcd1234\"}");
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id + ": " + r.body, 201, r.status);
            r = get("/api/v1/clients-auth/" + path);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id + ": " + r.body, 200, r.status);
            CPPUNIT_ASSERT_EQUAL(id, parse(r.body)->getObject("data")->getValue<std::string>("id"));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 204, del(path).status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(id, 404, get("/api/v1/clients-auth/" + path).status);
        }
        HttpReply tooLong = post("{\"id\":\"" + longest + "x\",\"password\":\"abcd1234\"}");
        CPPUNIT_ASSERT_EQUAL(400, tooLong.status);
        CPPUNIT_ASSERT_EQUAL(std::string("Max size is 100 characters."),
                             errorField(tooLong.body, "detail"));
        CPPUNIT_ASSERT_EQUAL(4, count(get("/api/v1/clients-auth").body));
    }

    void rejectsBadListParameters() {
        struct Case {
            std::string query, title;
        } cases[] = {
            {"sort=id", "unsupported sort field 'id'"},
            {"sort=-id", "unsupported sort field 'id'"},
            {"filter[name]=x", "unsupported filter field 'filter[name]'"},
            {"filter[id][gt]=x", "unsupported filter field 'filter[id][gt]'"},
            {"page[limit]=x", "pagination limit must be a number"},
            {"page[limit]=501", "pagination limit too big (501) maximum is 500"},
            {"page[limit]=0", "pagination limit must be positive"},
            {"page[offset]=x", "pagination offset must be a number"},
            {"page[offset]=-5", "pagination offset must not be negative"},
        };
        for (const auto& c : cases) {
            HttpReply r = get("/api/v1/clients-auth?" + c.query);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.query, 400, r.status);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.query, c.title, errorField(r.body, "title"));
        }
    }

    void refusesWritesWhenReadOnly() {
        start("auth_write = false\n");
        HttpReply r = post("{\"id\":\"client9\",\"password\":\"abcdef\"}");
        CPPUNIT_ASSERT_EQUAL(403, r.status);
        CPPUNIT_ASSERT_EQUAL(std::string(isStatic() ? "ERR_CODE_CLIENT_AUTH_SINGLE" : "ERR_CODE_CLIENT_AUTH_RO"),
                             errorField(r.body, "code"));
        if (!isStatic())
            CPPUNIT_ASSERT_EQUAL(std::string("Client authentication has been attached in read-only mode."),
                                 errorField(r.body, "title"));
        CPPUNIT_ASSERT_EQUAL(403, del("clientAuth1").status);
        CPPUNIT_ASSERT_EQUAL(200, get("/api/v1/clients-auth/clientAuth1").status);
        auto status = parse(get("/api/v1/status").body)->getObject("data");
        CPPUNIT_ASSERT_EQUAL(std::string("Read Only"), status->getValue<std::string>("clients_auth_mode"));
    }

    void storesNewSecretsHashedWhenAsked() {
        if (isStatic()) return;
        start("auth_store_hashed = true\n");
        CPPUNIT_ASSERT_EQUAL(201, post("{\"id\":\"hashed1\",\"password\":\"correct horse\"}").status);
        auto data = parse(get("/api/v1/clients-auth/hashed1").body)->getObject("data");
        CPPUNIT_ASSERT(data->isNull("password"));
        CPPUNIT_ASSERT(data->getValue<bool>("password_hashed"));
        std::string stored = backend->storedSecret("hashed1");
        if (!stored.empty()) CPPUNIT_ASSERT_EQUAL_MESSAGE(stored, std::string("$2y$10$"), stored.substr(0, 7));
        // Listing never reveals it either.
        HttpReply list = get("/api/v1/clients-auth?filter[id]=hashed1");
        CPPUNIT_ASSERT_MESSAGE(list.body, list.body.find("$2y$") == std::string::npos);
    }

    void statusReportsSourceAndMode() {
        auto status = parse(get("/api/v1/status").body)->getObject("data");
        CPPUNIT_ASSERT_EQUAL(backend->sourceName(), status->getValue<std::string>("clients_auth_source"));
        CPPUNIT_ASSERT_EQUAL(std::string(isStatic() ? "Read Only" : "Read Write"),
                             status->getValue<std::string>("clients_auth_mode"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ClientsAuthScenarioTest);
