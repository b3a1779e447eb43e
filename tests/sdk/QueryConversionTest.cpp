// ListQuery <-> rport_list_query, including a conditions array written by a
// newer host whose rport_id_match is longer (walked by its struct_size).
#include <cppunit/extensions/HelperMacros.h>

#include <rport/types.hpp>

using rport::sdk::IdMatch;
using rport::sdk::ListQuery;
using rport::sdk::str;
using rport::sdk::detail::QueryView;
using rport::sdk::detail::toQuery;

class QueryConversionTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(QueryConversionTest);
    CPPUNIT_TEST(testRoundTrip);
    CPPUNIT_TEST(testDefaultQuery);
    CPPUNIT_TEST(testLongerConditionsFromANewerHost);
    CPPUNIT_TEST(testLengthWithoutDataIsRefused);
    CPPUNIT_TEST_SUITE_END();

public:
    void testRoundTrip() {
        ListQuery in;
        in.conditions = {IdMatch{false, {"a*", "b*"}}, IdMatch{true, {"*1", "*x*"}},
                         IdMatch{false, {}}};
        in.offset = 20;
        in.limit = 10;
        QueryView v(in);
        CPPUNIT_ASSERT_EQUAL(uint32_t(sizeof(rport_list_query)), v.get()->struct_size);
        CPPUNIT_ASSERT_EQUAL(size_t(3), v.get()->condition_count);
        CPPUNIT_ASSERT_EQUAL(uint32_t(RPORT_MATCH_ALL), v.get()->conditions[1].mode);
        ListQuery out = toQuery(*v.get());
        CPPUNIT_ASSERT_EQUAL(in.offset, out.offset);
        CPPUNIT_ASSERT_EQUAL(in.limit, out.limit);
        CPPUNIT_ASSERT_EQUAL(in.conditions.size(), out.conditions.size());
        for (size_t i = 0; i < in.conditions.size(); ++i) {
            CPPUNIT_ASSERT_EQUAL(in.conditions[i].all, out.conditions[i].all);
            CPPUNIT_ASSERT(in.conditions[i].patterns == out.conditions[i].patterns);
        }
    }

    void testDefaultQuery() {
        ListQuery in;
        QueryView v(in);
        ListQuery out = toQuery(*v.get());
        CPPUNIT_ASSERT(out.conditions.empty());
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), out.offset);
        CPPUNIT_ASSERT_EQUAL(std::numeric_limits<uint64_t>::max(), out.limit);
    }

    void testLongerConditionsFromANewerHost() {
        struct LongerMatch {
            rport_id_match known;
            uint64_t futureField;
        };
        rport_str first[] = {str("web-*")};
        rport_str second[] = {str("*-01"), str("*-02")};
        LongerMatch conditions[2] = {{{sizeof(LongerMatch), RPORT_MATCH_ANY, first, 1}, ~0ull},
                                     {{sizeof(LongerMatch), RPORT_MATCH_ALL, second, 2}, ~0ull}};
        rport_list_query q{};
        q.struct_size = sizeof q;
        q.conditions = &conditions[0].known;
        q.condition_count = 2;
        q.limit = 5;
        ListQuery out = toQuery(q);
        CPPUNIT_ASSERT_EQUAL(size_t(2), out.conditions.size());
        CPPUNIT_ASSERT(out.conditions[1].all);
        CPPUNIT_ASSERT((out.conditions[1].patterns == std::vector<std::string>{"*-01", "*-02"}));
    }

    void testLengthWithoutDataIsRefused() {
        rport_str patterns[] = {str("web-*"), rport_str{nullptr, 4}};
        rport_id_match condition{sizeof(rport_id_match), RPORT_MATCH_ANY, patterns, 2};
        rport_list_query q{};
        q.struct_size = sizeof q;
        q.conditions = &condition;
        q.condition_count = 1;
        expectInvalid(q, "a pattern of the query has a length but no data");
        condition.patterns = nullptr;
        expectInvalid(q, "a condition's patterns have a count but no array");
        q.conditions = nullptr;
        expectInvalid(q, "the query's conditions have a count but no array");
    }

private:
    static void expectInvalid(const rport_list_query& q, const std::string& message) {
        try {
            toQuery(q);
            CPPUNIT_FAIL("expected RPORT_E_INVALID: " + message);
        } catch (const rport::sdk::Error& e) {
            CPPUNIT_ASSERT_EQUAL(RPORT_E_INVALID, e.code());
            CPPUNIT_ASSERT_EQUAL(message, std::string(e.what()));
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(QueryConversionTest);
