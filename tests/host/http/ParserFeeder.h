#pragma once
// Feeds a request to a fresh RequestParser in slices of a given size and
// records what happened, so every parser test can run twice: all bytes at
// once, and one byte at a time (every possible split of every line).
#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "http/RequestParser.h"
#include "util/QuotedText.h"

namespace rportd::http::test {

struct ParseOutcome {
    ParseStatus status = ParseStatus::NeedMore;  // Complete, Failed, or NeedMore when input ran out
    int errorStatus = 0;
    size_t consumed = 0;         // bytes taken when it stopped
    bool sawContinue = false;    // ExpectContinue was reported on the way
    bool keepAlive = false;
    HttpRequest request;
};

inline ParseOutcome feedInSlices(const std::string& text, size_t slice, const ParserLimits& limits) {
    RequestParser parser(limits);
    ParseOutcome outcome;
    size_t offset = 0;
    for (;;) {
        size_t size = std::min(slice, text.size() - offset);
        size_t used = 0;
        ParseStatus status = parser.parse(text.data() + offset, size, used);
        offset += used;
        if (status == ParseStatus::ExpectContinue) {
            outcome.sawContinue = true;
            continue;
        }
        if (status == ParseStatus::NeedMore) {
            CPPUNIT_ASSERT_EQUAL_MESSAGE("NeedMore must take every byte offered", size, used);
            if (offset < text.size()) continue;
        }
        outcome.status = status;
        outcome.errorStatus = parser.errorStatus();
        outcome.consumed = offset;
        outcome.keepAlive = parser.keepAlive();
        outcome.request = parser.request();
        return outcome;
    }
}

// Parses both ways, checks that both agree, and returns the outcome.
inline ParseOutcome parseBothWays(const std::string& text, const ParserLimits& limits = ParserLimits()) {
    ParseOutcome whole = feedInSlices(text, text.size() == 0 ? 1 : text.size(), limits);
    ParseOutcome bytes = feedInSlices(text, 1, limits);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("status, whole vs. bytewise", static_cast<int>(whole.status),
                                 static_cast<int>(bytes.status));
    CPPUNIT_ASSERT_EQUAL_MESSAGE("error status, whole vs. bytewise", whole.errorStatus, bytes.errorStatus);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("consumed, whole vs. bytewise", whole.consumed, bytes.consumed);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("continue, whole vs. bytewise", whole.sawContinue, bytes.sawContinue);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("body, whole vs. bytewise", whole.request.body, bytes.request.body);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("headers, whole vs. bytewise", whole.request.headers.size(),
                                 bytes.request.headers.size());
    return whole;
}

// What the parser made of a whole request: accepted it, rejected it with an
// HTTP status, or still wants input after the last byte (stalled).
struct Verdict {
    enum Kind { Accepted, Rejected, Stalled } kind = Stalled;
    int status = 0;  // for Rejected
};

inline Verdict verdictOn(const std::string& text, const ParserLimits& limits = ParserLimits()) {
    ParseOutcome outcome = parseBothWays(text, limits);
    switch (outcome.status) {
        case ParseStatus::Complete:
            return {Verdict::Accepted, 0};
        case ParseStatus::Failed:
            return {Verdict::Rejected, outcome.errorStatus};
        default:
            return {Verdict::Stalled, 0};
    }
}

// The HTTP status a request is rejected with, or 0 when the parser accepts
// it completely. A parser that stalls fails the test right here: no
// expected value can stand for "still waiting", so that an assertion of 0
// ("accepted") cannot pass on a request the parser never finished.
inline int rejection(const std::string& text, const ParserLimits& limits = ParserLimits()) {
    const Verdict verdict = verdictOn(text, limits);
    if (verdict.kind == Verdict::Stalled)
        CPPUNIT_FAIL("the parser still wants input after the last byte of " +
                     util::quotedForLog(text, 200));
    return verdict.kind == Verdict::Rejected ? verdict.status : 0;
}

}  // namespace rportd::http::test
