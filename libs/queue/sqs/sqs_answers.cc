#include "sqs_answers.h"

#include <boost/json.hpp>
#include <cstdlib>

namespace kinora::queue::sqs {

namespace json = boost::json;

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t Count(const json::object& attrs, std::string_view key) {
  const std::string s = Str(attrs, key);
  return s.empty() ? 0 : std::strtoll(s.c_str(), nullptr, 10);
}

std::vector<Message> ToMessages(const json::object& answer) {
  std::vector<Message> out;
  const json::value* msgs = answer.if_contains("Messages");
  if (!msgs || !msgs->is_array()) return out;
  for (const json::value& v : msgs->as_array()) {
    if (!v.is_object()) continue;
    const json::object& m = v.as_object();
    Message msg;
    msg.id = Str(m, "MessageId");
    msg.receipt_handle = Str(m, "ReceiptHandle");
    msg.body = Str(m, "Body");
    if (auto* a = m.if_contains("Attributes"); a && a->is_object()) {
      msg.receive_count = static_cast<int>(Count(a->as_object(), "ApproximateReceiveCount"));
    }
    out.push_back(std::move(msg));
  }
  return out;
}

}  // namespace kinora::queue::sqs
