// Request bodies: what is read, what is refused and with which words.
#include <cppunit/extensions/HelperMacros.h>

#include "api/ApiError.h"
#include "api/JsonBody.h"

using namespace rportd::api;

namespace {

struct Request {
    rportd::http::HttpRequest request;
    rportd::http::HttpResponse response;
    ApiContext context{request, response, {}, "", nullptr, "127.0.0.1"};

    explicit Request(std::string body, std::string contentType = "application/json") {
        request.method = "POST";
        request.target = "/api/v1/clients-auth";
        request.body = std::move(body);
        if (!contentType.empty()) request.headers.emplace_back("Content-Type", contentType);
    }
};

Poco::JSON::Object::Ptr read(const std::string& body,
                             const std::string& contentType = "application/json") {
    Request r(body, contentType);
    return readJsonObject(r.context, 10240);
}

// The error readJsonObject throws for a body; fails when it accepts it.
ApiError refusal(const std::string& body, const std::string& contentType = "application/json") {
    try {
        read(body, contentType);
    } catch (const ApiError& e) {
        return e;
    }
    CPPUNIT_FAIL("accepted: " + body);
    throw std::logic_error("unreachable");
}

}  // namespace

class JsonBodyTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(JsonBodyTest);
    CPPUNIT_TEST(readsAnObject);
    CPPUNIT_TEST(nullIsReadAsAnEmptyObject);
    CPPUNIT_TEST(aNulInAMemberNameIsInvalid);
    CPPUNIT_TEST(aNulInAValueIsKept);
    CPPUNIT_TEST(formBodiesAreRefusedWithAClearDetail);
    CPPUNIT_TEST(otherContentTypesAreReadAsJson);
    CPPUNIT_TEST(refusesWhatIsNotOneJsonObject);
    CPPUNIT_TEST(refusesTextThatIsNotUtf8);
    CPPUNIT_TEST(refusesOversizedBodiesUnread);
    CPPUNIT_TEST(unknownAndMistypedFields);
    CPPUNIT_TEST_SUITE_END();

public:
    void readsAnObject() {
        auto body = read(" {\"id\":\"client1\",\"password\":\"p\\u00e9\"}\n");
        CPPUNIT_ASSERT_EQUAL(std::string("client1"), stringField(*body, "id"));
        CPPUNIT_ASSERT_EQUAL(std::string("p\xc3\xa9"), stringField(*body, "password"));
        CPPUNIT_ASSERT_EQUAL(std::string(""), stringField(*body, "absent"));
    }

    void nullIsReadAsAnEmptyObject() {
        // Poco's parser cannot read a bare null ("Attempt to set value on an
        // empty stack"); the original's decoder takes it as no fields at all.
        CPPUNIT_ASSERT_EQUAL(size_t(0), read("null")->size());
        CPPUNIT_ASSERT_EQUAL(size_t(0), read(" null \n")->size());
    }

    void aNulInAMemberNameIsInvalid() {
        // Poco reads "id\u0000" as "id": it would override the real id and
        // pass the unknown-field check.
        for (const char* body :
             {R"({"id":"a","password":"abcd","id\u0000":"b"})", R"({"id\u0000":"evil"})",
              R"({"id":"a","nested":{"x\u0000y":1}})", R"({"id":"a","list":[{"\u0000":1}]})"}) {
            ApiError e = refusal(body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, e.status());
            CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidRequest), e.code());
            CPPUNIT_ASSERT_EQUAL(std::string("Invalid JSON data."), e.title());
            CPPUNIT_ASSERT_MESSAGE(e.detail(), e.detail().find("NUL") != std::string::npos);
        }
        // An escaped backslash before "u0000" is no NUL.
        CPPUNIT_ASSERT(read(R"({"id\\u0000":"x"})")->has("id\\u0000"));
    }

    void aNulInAValueIsKept() {
        // Values keep every byte; the handler decides whether it wants them.
        auto body = read(R"({"id":"ab\u0000cd"})");
        CPPUNIT_ASSERT_EQUAL(std::string("ab\0cd", 5), stringField(*body, "id"));
    }

    void formBodiesAreRefusedWithAClearDetail() {
        for (const char* type : {"application/x-www-form-urlencoded",
                                 "Application/X-WWW-Form-Urlencoded; charset=utf-8",
                                 "multipart/form-data; boundary=x"}) {
            ApiError e = refusal(R"({"id":"form1","password":"abcd"})", type);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(type, 400, e.status());
            CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidRequest), e.code());
            CPPUNIT_ASSERT_EQUAL(std::string("Missing body with json data."), e.title());
            CPPUNIT_ASSERT_MESSAGE(
                e.detail(), e.detail().find("Content-Type: application/json") != std::string::npos);
        }
    }

    void otherContentTypesAreReadAsJson() {
        // The original decodes whatever else is sent; so do we.
        for (const char* type : {"application/json; charset=utf-8", "text/plain", ""})
            CPPUNIT_ASSERT_EQUAL_MESSAGE(type, std::string("x1y"),
                                         stringField(*read(R"({"id":"x1y"})", type), "id"));
    }

    void refusesWhatIsNotOneJsonObject() {
        ApiError missing = refusal(" \r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("Missing body with json data."), missing.title());
        CPPUNIT_ASSERT_EQUAL(std::string(kCodeInvalidRequest), missing.code());
        for (const char* body : {"[]", "\"text\"", "42", "true", "{\"id\": \"abc\", ",
                                 "{\"id\":\"a\"} x", "{\"id\":\"a\"}{}", "{'id':'a'}"}) {
            ApiError e = refusal(body);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, 400, e.status());
            CPPUNIT_ASSERT_EQUAL_MESSAGE(body, std::string("Invalid JSON data."), e.title());
            CPPUNIT_ASSERT_MESSAGE(body, !e.detail().empty());
        }
    }

    void refusesTextThatIsNotUtf8() {
        ApiError e = refusal("{\"id\":\"bad\xff\"}");
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid JSON data."), e.title());
        CPPUNIT_ASSERT_EQUAL(std::string("the body is not UTF-8 text"), e.detail());
        // A lone surrogate escape is no character either.
        CPPUNIT_ASSERT_EQUAL(std::string("Invalid JSON data."),
                             refusal(R"({"id":"\ud800"})").title());
    }

    void refusesOversizedBodiesUnread() {
        Request r(std::string(100, ' '));
        try {
            readJsonObject(r.context, 50);
            CPPUNIT_FAIL("accepted");
        } catch (const ApiError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string(kCodeRequestTooLarge), e.code());
            CPPUNIT_ASSERT(e.closesConnection());
        }
    }

    void unknownAndMistypedFields() {
        auto body = read(R"({"id":"abcd","role":"x","n":1})");
        try {
            rejectUnknownFields(*body, {"id", "n"});
            CPPUNIT_FAIL("role accepted");
        } catch (const ApiError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("json: unknown field \"role\""), e.detail());
        }
        try {
            stringField(*body, "n");
            CPPUNIT_FAIL("a number read as a string");
        } catch (const ApiError& e) {
            CPPUNIT_ASSERT_EQUAL(std::string("Invalid JSON data."), e.title());
        }
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(JsonBodyTest);
