// The list parameters: parsing and the original's 400 messages.
#include <cppunit/extensions/HelperMacros.h>

#include "api/ApiError.h"
#include "api/query/ListOptions.h"

using namespace rportd::api;

namespace CppUnit {
// Lets CPPUNIT_ASSERT_EQUAL compare and print lists of strings.
template <>
struct assertion_traits<std::vector<std::string>> {
    static bool equal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
        return a == b;
    }
    static std::string toString(const std::vector<std::string>& v) {
        std::string out = "[";
        for (const auto& s : v) out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
        return out + "]";
    }
};
}  // namespace CppUnit

class ListOptionsTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ListOptionsTest);
    CPPUNIT_TEST(parsesCommaSeparatedOrValues);
    CPPUNIT_TEST(parsesOrAndAndWrappers);
    CPPUNIT_TEST(repeatedKeysAddValuesAndDifferentKeysStaySeparate);
    CPPUNIT_TEST(decodesPercentEscapesAndPlus);
    CPPUNIT_TEST(emptyValueIsOneEmptyOperand);
    CPPUNIT_TEST(defaultsPaging);
    CPPUNIT_TEST(reportsEveryProblemWithTheOriginalWording);
    CPPUNIT_TEST(limitBounds);
    CPPUNIT_TEST(firstPagingValueWins);
    CPPUNIT_TEST(anEmptyLimitIsNoLimitButAnEmptyOffsetIsRefused);
    CPPUNIT_TEST(sortsAndFieldsAreReadAsGoDoes);
    CPPUNIT_TEST(filterAndFieldsKeysFollowTheOriginalsPatterns);
    CPPUNIT_TEST(longKeysAreReadWhole);
    CPPUNIT_TEST_SUITE_END();

    const ListRules rules{{"id"}, {}, 50, 500, {}};

    std::vector<ErrorEntry> problems(const std::string& query) {
        try {
            validateListOptions(parseListOptions(query), rules);
        } catch (const ApiError& e) {
            CPPUNIT_ASSERT_EQUAL(400, e.status());
            return e.entries();
        }
        return {};
    }

public:
    void parsesCommaSeparatedOrValues() {
        auto o = parseListOptions("filter[id]=a*, b ,c");
        CPPUNIT_ASSERT_EQUAL(size_t(1), o.filters.size());
        CPPUNIT_ASSERT(!o.filters[0].all);
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"a*", "b", "c"}), o.filters[0].values);
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"id"}), o.filters[0].columns);
    }

    void parsesOrAndAndWrappers() {
        auto o = parseListOptions("filter[id]=and(*a*,*b*)&filter[*]=or(x,y)");
        CPPUNIT_ASSERT_EQUAL(size_t(2), o.filters.size());
        CPPUNIT_ASSERT(o.filters[0].all);
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"*a*", "*b*"}), o.filters[0].values);
        CPPUNIT_ASSERT(!o.filters[1].all);
        auto conditions = idConditions(o);
        CPPUNIT_ASSERT_EQUAL(size_t(2), conditions.size());
        CPPUNIT_ASSERT(rport::sdk::matches(rport::sdk::ListQuery{conditions, 0, 10}, "XbaY") ==
                       false);
        CPPUNIT_ASSERT(rport::sdk::matches(rport::sdk::ListQuery{{conditions[0]}, 0, 10}, "XbaY"));
    }

    void repeatedKeysAddValuesAndDifferentKeysStaySeparate() {
        auto o = parseListOptions("filter[id]=a&filter[id]=b&filter[id|*]=c");
        CPPUNIT_ASSERT_EQUAL(size_t(2), o.filters.size());
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"a", "b"}), o.filters[0].values);
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"id", "*"}), o.filters[1].columns);
        // "*" means every column only on its own (the original refuses it in a list).
        CPPUNIT_ASSERT(problems("filter[*]=c").empty());
        CPPUNIT_ASSERT(problems("filter[id|id]=c").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported filter field 'filter[id|*]'"),
                             problems("filter[id|*]=c").at(0).title);
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported filter field 'filter[*|id]'"),
                             problems("filter[*|id]=c").at(0).title);
    }

    void decodesPercentEscapesAndPlus() {
        auto o = parseListOptions("filter%5Bid%5D=a%2Cb+c&page%5Blimit%5D=5");
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({"a", "b c"}), o.filters.at(0).values);
        CPPUNIT_ASSERT_EQUAL(std::string("5"), *o.limit);
    }

    void emptyValueIsOneEmptyOperand() {
        auto o = parseListOptions("filter[id]=");
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>({""}), o.filters.at(0).values);
    }

    void defaultsPaging() {
        Page p = validateListOptions(parseListOptions(""), rules);
        CPPUNIT_ASSERT_EQUAL(uint64_t(0), p.offset);
        CPPUNIT_ASSERT_EQUAL(uint64_t(50), p.limit);
    }

    void reportsEveryProblemWithTheOriginalWording() {
        auto e =
            problems("filter[name]=x&filter[id][gt]=1&sort=-id&page[limit]=ten&page[offset]=x1");
        CPPUNIT_ASSERT_EQUAL(size_t(5), e.size());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported sort field 'id'"), e[0].title);
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported filter field 'filter[name]'"), e[1].title);
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported filter field 'filter[id][gt]'"), e[2].title);
        CPPUNIT_ASSERT_EQUAL(std::string("pagination limit must be a number"), e[3].title);
        CPPUNIT_ASSERT_EQUAL(std::string("strconv.Atoi: parsing \"ten\": invalid syntax"),
                             e[3].detail);
        CPPUNIT_ASSERT_EQUAL(std::string("pagination offset must be a number"), e[4].title);
        for (const auto& p : e) CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidRequest), p.code);
    }

    void limitBounds() {
        CPPUNIT_ASSERT_EQUAL(std::string("pagination limit too big (501) maximum is 500"),
                             problems("page[limit]=501").at(0).title);
        CPPUNIT_ASSERT_EQUAL(std::string("pagination limit must be positive"),
                             problems("page[limit]=0").at(0).title);
        CPPUNIT_ASSERT_EQUAL(std::string("pagination offset must not be negative"),
                             problems("page[offset]=-1").at(0).title);
        CPPUNIT_ASSERT_EQUAL(
            std::string("strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
            problems("page[limit]=99999999999999999999").at(0).detail);
        Page p = validateListOptions(parseListOptions("page[limit]=500&page[offset]=%2B3"), rules);
        CPPUNIT_ASSERT_EQUAL(uint64_t(500), p.limit);
        CPPUNIT_ASSERT_EQUAL(uint64_t(3), p.offset);
    }

    void firstPagingValueWins() {
        Page p = validateListOptions(parseListOptions("page[limit]=2&page[limit]=abc"), rules);
        CPPUNIT_ASSERT_EQUAL(uint64_t(2), p.limit);
    }

    void anEmptyLimitIsNoLimitButAnEmptyOffsetIsRefused() {
        // What the original answers (checked against it): page[limit]= and a
        // bare page[limit] give the default page, page[offset]= is a 400.
        for (const char* query : {"page[limit]=", "page[limit]", "page[limit]=&page[limit]=2"}) {
            Page p = validateListOptions(parseListOptions(query), rules);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(query, uint64_t(50), p.limit);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("pagination limit must be a number"),
                             problems("page[limit]=%20").at(0).title);
        auto offset = problems("page[offset]=");
        CPPUNIT_ASSERT_EQUAL(size_t(1), offset.size());
        CPPUNIT_ASSERT_EQUAL(std::string("pagination offset must be a number"), offset[0].title);
        CPPUNIT_ASSERT_EQUAL(std::string("strconv.Atoi: parsing \"\": invalid syntax"),
                             offset[0].detail);
        // An empty sort is skipped, a lone '-' names the empty column.
        CPPUNIT_ASSERT(problems("sort=&sort=%20").empty());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported sort field ''"),
                             problems("sort=-").at(0).title);
    }

    void sortsAndFieldsAreReadAsGoDoes() {
        ListOptions o = parseListOptions(
            "sort=%20--name%20&sort=&sort=id&fields%5Bclients%5D=%20id,%20name%20"
            "&fields%5Bclients%5D=os&fields%5Bx%5Dy=a&fieldsfoo=b");
        CPPUNIT_ASSERT_EQUAL(size_t(2), o.sorts.size());
        CPPUNIT_ASSERT_EQUAL(std::string("name"), o.sorts[0].column);
        CPPUNIT_ASSERT(o.sorts[0].descending);
        CPPUNIT_ASSERT(!o.sorts[1].descending);
        CPPUNIT_ASSERT_EQUAL(size_t(2), o.fields.size());
        // The value is trimmed as a whole, its items are not.
        CPPUNIT_ASSERT((o.fields[0].fields == std::vector<std::string>{"id", " name", "os"}));
        CPPUNIT_ASSERT_EQUAL(std::string("x"), o.fields[1].resource);
        auto requested = requestedFields(o, "clients");
        CPPUNIT_ASSERT(requested && requested->count("os") && requested->count(" name"));
        CPPUNIT_ASSERT(!requestedFields(o, "other"));
        auto problems = fieldsProblems(o.fields, {{"clients", {"id", "name", "os"}}});
        CPPUNIT_ASSERT_EQUAL(size_t(2), problems.size());
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported field \" name\" for resource \"clients\""),
                             problems[0].title);
        CPPUNIT_ASSERT_EQUAL(std::string("unsupported resource in fields: \"x\""),
                             problems[1].title);
    }

    // ^filter\[([\w|*]+)\](\[(\w+)\])? and ^fields\[(\w+)\], as in the original.
    void filterAndFieldsKeysFollowTheOriginalsPatterns() {
        ListOptions o = parseListOptions(
            "filter[a|*|b_2]=1&filter[id][gt]=2&filter[os][gt=3&filter[name][]=4"
            "&filter[hostname]trailing=5&filter[]=6&filter[a-b]=7&filter[%C3%A9]=8"
            "&xfilter[id]=9&FILTER[id]=10&filter[version][a-b]=11&filter=12");
        std::vector<std::string> keys;
        for (const auto& f : o.filters) keys.push_back(f.key + " op=" + f.op);
        CPPUNIT_ASSERT_EQUAL(
            (std::vector<std::string>{"filter[a|*|b_2] op=", "filter[id][gt] op=gt",
                                      "filter[os] op=", "filter[name] op=", "filter[hostname] op=",
                                      "filter[version] op="}),
            keys);
        CPPUNIT_ASSERT_EQUAL((std::vector<std::string>{"a", "*", "b_2"}), o.filters[0].columns);

        ListOptions f = parseListOptions(
            "fields[clients]=id&fields[cli-ents]=id&fields[]=id&fields[x]y=os&fields=a");
        std::vector<std::string> resources;
        for (const auto& r : f.fields) resources.push_back(r.resource);
        CPPUNIT_ASSERT_EQUAL((std::vector<std::string>{"clients", "x"}), resources);
    }

    // The longest names a request target can carry. These once went through
    // std::regex, which held megabytes per request for them (found by the
    // bad-input suite, tests/integration/BadInputTest.cpp, which bounds the
    // memory).
    void longKeysAreReadWhole() {
        const std::string column(7000, 'a');
        ListOptions o = parseListOptions("filter[" + column + "][eq]=x&fields[" + column + "]=id");
        CPPUNIT_ASSERT_EQUAL(size_t(1), o.filters.size());
        CPPUNIT_ASSERT_EQUAL(std::vector<std::string>{column}, o.filters[0].columns);
        CPPUNIT_ASSERT_EQUAL(std::string("eq"), o.filters[0].op);
        CPPUNIT_ASSERT_EQUAL(size_t(1), o.fields.size());
        CPPUNIT_ASSERT_EQUAL(column, o.fields[0].resource);
        std::string bars;
        for (int i = 0; i < 3500; ++i) bars += "a|";
        ListOptions many = parseListOptions("filter[" + bars + "]=x");
        CPPUNIT_ASSERT_EQUAL(size_t(1), many.filters.size());
        CPPUNIT_ASSERT_EQUAL(size_t(3501), many.filters[0].columns.size());  // the last one empty
        CPPUNIT_ASSERT_EQUAL(std::string(), many.filters[0].columns.back());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ListOptionsTest);
