#include "kinora/storage/fault_injection.h"

namespace kinora::storage {
namespace {

class FaultInjectingWriter final : public ObjectWriter {
 public:
  FaultInjectingWriter(std::unique_ptr<ObjectWriter> target, FaultPlan<StoreOp>& plan)
      : target_(std::move(target)), plan_(plan) {}

  Result<void> Write(std::span<const char> data) override {
    if (auto e = plan_.Next(StoreOp::kWrite)) return *e;
    return target_->Write(data);
  }
  Result<ObjectInfo> Commit() override {
    if (auto e = plan_.Next(StoreOp::kCommit)) return *e;
    return target_->Commit();
  }
  void Abort() override { target_->Abort(); }
  uint64_t bytes_written() const override { return target_->bytes_written(); }
  bool can_read_back() const override { return target_->can_read_back(); }
  Result<size_t> ReadBack(uint64_t offset, std::span<char> buf) override {
    return target_->ReadBack(offset, buf);
  }

 private:
  std::unique_ptr<ObjectWriter> target_;
  FaultPlan<StoreOp>& plan_;
};

}  // namespace

Result<std::unique_ptr<ObjectWriter>> FaultInjectingStore::BeginPut(std::string_view key,
                                                                    std::string_view content_type) {
  if (auto e = plan_.Next(StoreOp::kBeginPut)) return *e;
  KINORA_TRY(auto writer, target().BeginPut(key, content_type));
  return std::unique_ptr<ObjectWriter>(
      std::make_unique<FaultInjectingWriter>(std::move(writer), plan_));
}

Result<std::unique_ptr<ObjectReader>> FaultInjectingStore::Get(std::string_view key,
                                                               std::optional<ByteRange> range) {
  if (auto e = plan_.Next(StoreOp::kGet)) return *e;
  return target().Get(key, range);
}

Result<ObjectInfo> FaultInjectingStore::Head(std::string_view key) {
  if (auto e = plan_.Next(StoreOp::kHead)) return *e;
  return target().Head(key);
}

Result<ListPage> FaultInjectingStore::List(std::string_view prefix, std::string_view after,
                                           size_t max_keys) {
  if (auto e = plan_.Next(StoreOp::kList)) return *e;
  return target().List(prefix, after, max_keys);
}

Result<void> FaultInjectingStore::Delete(std::string_view key) {
  if (auto e = plan_.Next(StoreOp::kDelete)) return *e;
  return target().Delete(key);
}

}  // namespace kinora::storage
