// Listing through the wrapper: offset, limit, total, patterns, and a store
// that ignores the limit being stopped by the receiver.
#include <cppunit/extensions/HelperMacros.h>

#include <rport/testing.hpp>

#include "TestPlugin.h"

using rport::sdk::AuthRecord;
using rport::sdk::IdMatch;
using rport::sdk::ListPage;
using rport::sdk::ListQuery;
using rport::sdk::testing::FakeHost;

namespace {

std::vector<std::string> ids(const ListPage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.records) out.push_back(r.id);
    return out;
}

ListQuery page(uint64_t offset, uint64_t limit) {
    ListQuery q;
    q.offset = offset;
    q.limit = limit;
    return q;
}

}  // namespace

class ListPagingTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListPagingTest);
    CPPUNIT_TEST(testFirstMiddleLastPage);
    CPPUNIT_TEST(testPastTheEnd);
    CPPUNIT_TEST(testZeroLimit);
    CPPUNIT_TEST(testPatternsAndTotal);
    CPPUNIT_TEST(testReceiverStopsAGreedyStore);
    CPPUNIT_TEST(testAddAndRemoveShowInListing);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override {
        _host = std::make_unique<FakeHost>();
        _host->settings["count"] = "25";
        _plugin = _host->attach(&rport_plugin_entry_v1);
        _store = _host->createAuth(_plugin, RPORT_KIND_CLIENT_AUTH, "pages");
    }
    void tearDown() override {
        _store.reset();
        _host.reset();
    }

    void testFirstMiddleLastPage() {
        ListPage p;
        CPPUNIT_ASSERT(_store->list(page(0, 10), p).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(10), p.records.size());
        CPPUNIT_ASSERT_EQUAL(std::string("id-000"), p.records.front().id);
        CPPUNIT_ASSERT_EQUAL(uint64_t(25), p.total);
        CPPUNIT_ASSERT(_store->list(page(10, 10), p).ok());
        CPPUNIT_ASSERT_EQUAL(std::string("id-010"), p.records.front().id);
        CPPUNIT_ASSERT(_store->list(page(20, 10), p).ok());
        CPPUNIT_ASSERT(
            (ids(p) == std::vector<std::string>{"id-020", "id-021", "id-022", "id-023", "id-024"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(25), p.total);
        // Records arrive whole.
        CPPUNIT_ASSERT_EQUAL(std::string("pw-24"), p.records.back().secret);
        CPPUNIT_ASSERT(p.records.back().groups == std::vector<std::string>{"group"});
    }

    void testPastTheEnd() {
        ListPage p;
        CPPUNIT_ASSERT(_store->list(page(30, 10), p).ok());
        CPPUNIT_ASSERT(p.records.empty());
        CPPUNIT_ASSERT_EQUAL(uint64_t(25), p.total);
    }

    void testZeroLimit() {
        ListPage p;
        CPPUNIT_ASSERT(_store->list(page(0, 0), p).ok());
        CPPUNIT_ASSERT(p.records.empty());
        CPPUNIT_ASSERT_EQUAL(uint64_t(25), p.total);
    }

    void testPatternsAndTotal() {
        ListQuery q = page(0, 3);
        q.conditions.push_back(IdMatch{false, {"ID-01*"}});
        ListPage p;
        CPPUNIT_ASSERT(_store->list(q, p).ok());
        CPPUNIT_ASSERT((ids(p) == std::vector<std::string>{"id-010", "id-011", "id-012"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(10), p.total);
        q.conditions.push_back(IdMatch{true, {"*1*", "*2"}});  // AND: contains 1 and ends in 2
        CPPUNIT_ASSERT(_store->list(q, p).ok());
        CPPUNIT_ASSERT((ids(p) == std::vector<std::string>{"id-012"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(1), p.total);
    }

    void testReceiverStopsAGreedyStore() {
        _host->settings["count"] = "50";
        auto greedy = _host->createAuth(_plugin, RPORT_KIND_API_AUTH, "greedy");
        ListPage p;
        CPPUNIT_ASSERT(greedy->list(page(0, 7), p).ok());
        CPPUNIT_ASSERT_EQUAL(size_t(7), p.records.size());
        CPPUNIT_ASSERT_EQUAL(uint64_t(50), p.total);
    }

    void testAddAndRemoveShowInListing() {
        CPPUNIT_ASSERT(_store->writable());
        CPPUNIT_ASSERT(
            _store->add(AuthRecord{"aaa", "s", RPORT_SECRET_PLAIN, {"g1", "g2"}, {{"k", "v"}}})
                .ok());
        rport::sdk::CallResult dup =
            _store->add(AuthRecord{"aaa", "s", RPORT_SECRET_PLAIN, {}, {}});
        CPPUNIT_ASSERT_EQUAL(RPORT_E_EXISTS, dup.code);
        CPPUNIT_ASSERT_EQUAL(std::string("aaa exists"), dup.message);
        std::optional<AuthRecord> r;
        CPPUNIT_ASSERT(_store->get("aaa", r).ok());
        CPPUNIT_ASSERT((r->groups == std::vector<std::string>{"g1", "g2"}));
        CPPUNIT_ASSERT(
            (r->attributes == std::vector<std::pair<std::string, std::string>>{{"k", "v"}}));
        CPPUNIT_ASSERT(_store->remove("id-000").ok());
        ListPage p;
        CPPUNIT_ASSERT(_store->list(page(0, 2), p).ok());
        CPPUNIT_ASSERT((ids(p) == std::vector<std::string>{"aaa", "id-001"}));
        CPPUNIT_ASSERT_EQUAL(uint64_t(25), p.total);
        CPPUNIT_ASSERT_EQUAL(RPORT_E_NOT_FOUND, _store->remove("id-000").code);
    }

private:
    std::unique_ptr<FakeHost> _host;
    rport::sdk::testing::LoadedPlugin _plugin;
    std::unique_ptr<rport::sdk::AuthClient> _store;
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListPagingTest);
