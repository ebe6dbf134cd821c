// Reading SQS's JSON answers into queue values: the messages of a ReceiveMessage answer and the
// counters of GetQueueAttributes. Not part of the queue API (sqs_queue.cc and the fuzz harness
// use it). Thread safety: pure functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "kinora/queue/job_queue.h"

namespace kinora::queue::sqs {

// The member `key` when it is a string, else "".
std::string Str(const boost::json::object& o, std::string_view key);
// An attribute SQS sends as a decimal string ("ApproximateNumberOfMessages"); 0 when absent or
// not a number.
int64_t Count(const boost::json::object& attrs, std::string_view key);
// The "Messages" of a ReceiveMessage answer; entries that are not objects are skipped.
std::vector<Message> ToMessages(const boost::json::object& answer);

}  // namespace kinora::queue::sqs
