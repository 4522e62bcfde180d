//! One typed method per classic API method (backend spec §4;
//! `batch_cancel`, `queue_status` and `batch_list` are ours). The aliases answer the same data in other wrappings; call
//! them with [`Client::call_value`].

use serde_json::{Map, Value};

use super::error::ClientError;
use super::http::Client;
use crate::api_types::{
    AddUserParams, BatchCancelParams, BatchCancelled, BatchCreateParams, BatchListParams,
    BatchStatus, BatchStatusParams, BatchSummary, DelegationData, DelegationParams, HistoryEntry,
    HistoryParams, HostAddresses, HostParams, QueueStatus, QueueStatusParams, ResultsParams,
    StartTestParams, StoredParams, TestIdParams, TestResults, VersionInfo,
};

/// The params of the methods that take none.
fn no_params() -> Map<String, Value> {
    Map::new()
}

impl Client {
    /// `version_info`: the server's versions.
    pub async fn version_info(&self) -> Result<VersionInfo, ClientError> {
        self.call("version_info", &no_params()).await
    }

    /// `profile_names`: the public profiles.
    pub async fn profile_names(&self) -> Result<Vec<String>, ClientError> {
        self.call("profile_names", &no_params()).await
    }

    /// `get_language_tags`: the languages results can be asked in.
    pub async fn language_tags(&self) -> Result<Vec<String>, ClientError> {
        self.call("get_language_tags", &no_params()).await
    }

    /// `get_host_by_name`: the addresses of a host, found by the server.
    pub async fn host_by_name(&self, hostname: &str) -> Result<HostAddresses, ClientError> {
        let params = HostParams {
            hostname: hostname.to_owned(),
        };
        self.call("get_host_by_name", &params).await
    }

    /// `get_data_from_parent_zone`: a zone's delegation, found by the
    /// server.
    pub async fn data_from_parent_zone(
        &self,
        params: &DelegationParams,
    ) -> Result<DelegationData, ClientError> {
        self.call("get_data_from_parent_zone", params).await
    }

    /// `start_domain_test`: the new (or reused) test's id.
    pub async fn start_domain_test(&self, params: &StartTestParams) -> Result<String, ClientError> {
        self.call("start_domain_test", params).await
    }

    /// `test_progress`: 0 waiting, 1–99 running, 100 finished.
    pub async fn test_progress(&self, test_id: &str) -> Result<u8, ClientError> {
        self.call("test_progress", &test_id_params(test_id)).await
    }

    /// `get_test_params`: a test's stored params.
    pub async fn test_params(&self, test_id: &str) -> Result<StoredParams, ClientError> {
        self.call("get_test_params", &test_id_params(test_id)).await
    }

    /// `get_test_results`: a test's results with texts in `language`.
    pub async fn test_results(
        &self,
        test_id: &str,
        language: &str,
    ) -> Result<TestResults, ClientError> {
        let params = ResultsParams {
            id: test_id.to_owned(),
            language: language.to_owned(),
        };
        self.call("get_test_results", &params).await
    }

    /// `get_test_history`: a domain's finished tests, newest first.
    pub async fn test_history(
        &self,
        params: &HistoryParams,
    ) -> Result<Vec<HistoryEntry>, ClientError> {
        self.call("get_test_history", params).await
    }

    /// `add_api_user`: adds a user (the server takes it only from
    /// loopback).
    pub async fn add_api_user(&self, params: &AddUserParams) -> Result<i64, ClientError> {
        self.call("add_api_user", params).await
    }

    /// `add_batch_job`: the new batch's id.
    pub async fn add_batch_job(&self, params: &BatchCreateParams) -> Result<i64, ClientError> {
        self.call("add_batch_job", params).await
    }

    /// `batch_status`: how many of a batch's tests wait, run and are done.
    pub async fn batch_status(
        &self,
        params: &BatchStatusParams,
    ) -> Result<BatchStatus, ClientError> {
        self.call("batch_status", params).await
    }

    /// `batch_cancel` (ours): withdraws a batch's waiting tests.
    pub async fn batch_cancel(
        &self,
        params: &BatchCancelParams,
    ) -> Result<BatchCancelled, ClientError> {
        self.call("batch_cancel", params).await
    }

    /// `queue_status` (ours): waiting and running tests, agents seen,
    /// tests finished per minute.
    pub async fn queue_status(
        &self,
        params: &QueueStatusParams,
    ) -> Result<QueueStatus, ClientError> {
        self.call("queue_status", params).await
    }

    /// `batch_list` (ours): batches, newest first, with their counts.
    pub async fn batch_list(
        &self,
        params: &BatchListParams,
    ) -> Result<Vec<BatchSummary>, ClientError> {
        self.call("batch_list", params).await
    }
}

fn test_id_params(test_id: &str) -> TestIdParams {
    TestIdParams {
        test_id: test_id.to_owned(),
    }
}
