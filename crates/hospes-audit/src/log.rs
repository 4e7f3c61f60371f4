//! The audit log's writer: group commit of events into the store, the Merkle tree over them, and
//! signed tree heads.
//!
//! Every request handler calls [`AuditLog::record`] and waits for it before it answers: the event is
//! durable before the response leaves. One task owns the writes. While it commits a batch, new events
//! queue; it then takes all of them (up to `max_batch`) into the next transaction, so a commit's fsync
//! is shared by every request that arrived during the previous one and throughput holds under load.
//! If the commit fails, every request in the batch gets the error (and must not return data), and the
//! tree is left as it was.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use hospes_store::StoreError;
use hospes_store::audit::{AuditStore, NewAuditEvent, StoredSigningKey, StoredTreeHead};
use hospes_transparency::{
    ConsistencyProof, Hash, InMemoryLog, InclusionProof, KeyId, SignedTreeHead, SigningKey, TreeHead, VerifyingKey,
    hash_leaf,
};
use tokio::sync::{mpsc, oneshot};

use crate::event::{AuditEvent, timestamp};

/// Why an event could not be recorded or a proof given.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("the audit log could not be written: {0}")]
    Store(#[from] StoreError),
    #[error("the audit event was not stored: {0}")]
    WriteFailed(String),
    #[error("the audit log is closed")]
    Closed,
    #[error("an audit event could not be serialised: {0}")]
    Serialise(String),
    #[error("the stored audit log is corrupt at leaf {leaf_index}: {reason}")]
    Corrupt { leaf_index: i64, reason: String },
    #[error("no such proof: {0}")]
    Proof(String),
}

/// Tuning of the writer.
#[derive(Debug, Clone, Copy)]
pub struct AuditLogConfig {
    /// The most events in one commit.
    pub max_batch: usize,
    /// How often a tree head is signed while events arrive (and once after they stop).
    pub tree_head_interval: Duration,
}

impl Default for AuditLogConfig {
    fn default() -> Self {
        Self { max_batch: 2048, tree_head_interval: Duration::from_secs(1) }
    }
}

/// Where an event went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditReceipt {
    pub leaf_index: u64,
}

/// Where the writer answers one `record` call.
type ReceiptSender = oneshot::Sender<Result<AuditReceipt, AuditError>>;

enum Command {
    Append(Box<AuditEvent>, ReceiptSender),
    SignTreeHead(oneshot::Sender<Result<SignedTreeHead, AuditError>>),
    Close(oneshot::Sender<()>),
}

/// What readers share with the writer: the tree and its newest signed head.
struct TreeState {
    tree: InMemoryLog,
    latest: Option<SignedTreeHead>,
}

/// The audit log, shared by every request handler.
pub struct AuditLog {
    commands: mpsc::UnboundedSender<Command>,
    state: Arc<RwLock<TreeState>>,
    verifying_key: VerifyingKey,
}

impl AuditLog {
    /// Opens the log in `store`: rebuilds the tree from the stored leaf hashes, records the signing
    /// key's public half, and starts the writer.
    pub async fn open(
        store: Arc<dyn AuditStore>,
        signing_key: SigningKey,
        config: AuditLogConfig,
    ) -> Result<AuditLog, AuditError> {
        let mut tree = InMemoryLog::new();
        for (expected, (leaf_index, leaf_hash)) in store.leaf_hashes().await?.into_iter().enumerate() {
            if leaf_index != expected as i64 {
                return Err(AuditError::Corrupt { leaf_index, reason: format!("expected leaf {expected} here") });
            }
            let hash = Hash::from_slice(&leaf_hash)
                .map_err(|error| AuditError::Corrupt { leaf_index, reason: error.to_string() })?;
            tree.append_leaf_hash(hash)
                .map_err(|error| AuditError::Corrupt { leaf_index, reason: error.to_string() })?;
        }
        let latest = store
            .tree_heads()
            .await?
            .into_iter()
            .rev()
            .find_map(|stored| signed_tree_head(&stored).ok())
            .filter(|signed| signed.key_id == KeyId::of(&signing_key.verifying_key()));
        let verifying_key = signing_key.verifying_key();
        store
            .record_signing_key(&StoredSigningKey {
                key_id: KeyId::of(&verifying_key).as_bytes().to_vec(),
                public_key: verifying_key.as_bytes().to_vec(),
                first_used_at: timestamp(chrono::Utc::now()),
            })
            .await?;
        let state = Arc::new(RwLock::new(TreeState { tree, latest }));
        let (commands, receiver) = mpsc::unbounded_channel();
        let writer = Writer { store, signing_key, config, state: state.clone(), last_signed: Instant::now() };
        tokio::spawn(writer.run(receiver));
        Ok(AuditLog { commands, state, verifying_key })
    }

    /// Appends `event` and returns once it is durable. An error means the event was not recorded:
    /// the caller must not return the data it was about.
    pub async fn record(&self, event: AuditEvent) -> Result<AuditReceipt, AuditError> {
        let (reply, receipt) = oneshot::channel();
        self.commands.send(Command::Append(Box::new(event), reply)).map_err(|_| AuditError::Closed)?;
        receipt.await.map_err(|_| AuditError::Closed)?
    }

    /// Signs a tree head over every event recorded so far (if any arrived since the last one) and
    /// stores it.
    pub async fn sign_tree_head(&self) -> Result<SignedTreeHead, AuditError> {
        let (reply, signed) = oneshot::channel();
        self.commands.send(Command::SignTreeHead(reply)).map_err(|_| AuditError::Closed)?;
        signed.await.map_err(|_| AuditError::Closed)?
    }

    /// Signs a last tree head and stops the writer; later `record` calls fail.
    pub async fn close(&self) {
        let (reply, closed) = oneshot::channel();
        if self.commands.send(Command::Close(reply)).is_ok() {
            let _ = closed.await;
        }
    }

    /// The public key that verifies the log's tree heads.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.verifying_key
    }

    /// The number of events recorded.
    pub fn size(&self) -> u64 {
        self.state.read().map(|state| state.tree.size()).unwrap_or(0)
    }

    /// The newest signed tree head.
    pub fn latest_tree_head(&self) -> Option<SignedTreeHead> {
        self.state.read().ok().and_then(|state| state.latest)
    }

    /// The leaf hash of event `leaf_index` and its inclusion proof in the tree of `tree_size`.
    pub fn inclusion_proof(&self, leaf_index: u64, tree_size: u64) -> Result<(Hash, InclusionProof), AuditError> {
        let state = self.state.read().map_err(|_| AuditError::Closed)?;
        let leaf_hash = state
            .tree
            .leaf_hashes()
            .get(leaf_index as usize)
            .copied()
            .ok_or_else(|| AuditError::Proof(format!("there is no event {leaf_index}")))?;
        let proof =
            state.tree.inclusion_proof(leaf_index, tree_size).map_err(|error| AuditError::Proof(error.to_string()))?;
        Ok((leaf_hash, proof))
    }

    /// The consistency proof between two tree sizes.
    pub fn consistency_proof(&self, first: u64, second: u64) -> Result<ConsistencyProof, AuditError> {
        let state = self.state.read().map_err(|_| AuditError::Closed)?;
        state.tree.consistency_proof(first, second).map_err(|error| AuditError::Proof(error.to_string()))
    }
}

/// A stored tree head, checked for shape (not for its signature).
pub fn signed_tree_head(stored: &StoredTreeHead) -> Result<SignedTreeHead, String> {
    let key_id: [u8; 8] = stored.key_id.as_slice().try_into().map_err(|_| "key id is not 8 bytes".to_owned())?;
    let signature: [u8; 64] =
        stored.signature.as_slice().try_into().map_err(|_| "signature is not 64 bytes".to_owned())?;
    Ok(SignedTreeHead {
        tree_head: TreeHead {
            size: u64::try_from(stored.tree_size).map_err(|_| "negative tree size".to_owned())?,
            root_hash: Hash::from_slice(&stored.root_hash).map_err(|error| error.to_string())?,
            timestamp: u64::try_from(stored.timestamp_ms).map_err(|_| "negative timestamp".to_owned())?,
        },
        key_id: KeyId::from_bytes(key_id),
        signature: hospes_transparency::TreeHeadSignature(signature),
    })
}

fn stored_tree_head(signed: &SignedTreeHead) -> StoredTreeHead {
    StoredTreeHead {
        tree_size: signed.tree_head.size as i64,
        timestamp_ms: signed.tree_head.timestamp as i64,
        root_hash: signed.tree_head.root_hash.to_bytes().to_vec(),
        key_id: signed.key_id.as_bytes().to_vec(),
        signature: signed.signature.0.to_vec(),
    }
}

fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0)
}

struct Writer {
    store: Arc<dyn AuditStore>,
    signing_key: SigningKey,
    config: AuditLogConfig,
    state: Arc<RwLock<TreeState>>,
    last_signed: Instant,
}

impl Writer {
    async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        loop {
            // Wake at least once per interval, so the last events get a signed head soon after
            // traffic stops.
            let first = match tokio::time::timeout(self.config.tree_head_interval, commands.recv()).await {
                Ok(Some(command)) => command,
                Ok(None) => break,
                Err(_) => {
                    if self.unsigned_events()
                        && let Err(error) = self.sign_and_store().await
                    {
                        tracing::error!(%error, "could not store a signed tree head of the audit log");
                    }
                    continue;
                }
            };
            let mut appends = Vec::new();
            let mut others = Vec::new();
            match first {
                Command::Append(event, reply) => appends.push((event, reply)),
                other => others.push(other),
            }
            while appends.len() < self.config.max_batch {
                match commands.try_recv() {
                    Ok(Command::Append(event, reply)) => appends.push((event, reply)),
                    Ok(other) => others.push(other),
                    Err(_) => break,
                }
            }
            if !appends.is_empty() {
                self.commit(appends).await;
            }
            for command in others {
                match command {
                    Command::Append(..) => {}
                    Command::SignTreeHead(reply) => {
                        let _ = reply.send(self.sign_and_store().await);
                    }
                    Command::Close(reply) => {
                        if self.unsigned_events()
                            && let Err(error) = self.sign_and_store().await
                        {
                            tracing::error!(%error, "could not store the last signed tree head of the audit log");
                        }
                        let _ = reply.send(());
                        return;
                    }
                }
            }
        }
    }

    fn unsigned_events(&self) -> bool {
        self.state
            .read()
            .map(|state| state.latest.map(|latest| latest.tree_head.size) != Some(state.tree.size()))
            .unwrap_or(false)
    }

    /// Writes one batch; on success extends the tree (signing a head with the batch when the interval
    /// has passed), on failure tells every waiting request.
    async fn commit(&mut self, appends: Vec<(Box<AuditEvent>, ReceiptSender)>) {
        let Ok(snapshot) = self.state.read().map(|state| state.tree.compact_range().clone()) else {
            return;
        };
        let mut right_edge = snapshot;
        let mut rows = Vec::with_capacity(appends.len());
        let mut replies = Vec::with_capacity(appends.len());
        let mut leaf_hashes = Vec::with_capacity(appends.len());
        for (event, reply) in appends {
            let leaf = match hospes_model::canonical_json(&*event) {
                Ok(leaf) => leaf,
                Err(error) => {
                    let _ = reply.send(Err(AuditError::Serialise(error.to_string())));
                    continue;
                }
            };
            let leaf_hash = hash_leaf(&leaf);
            let leaf_index = right_edge.size();
            if right_edge.append(leaf_hash).is_err() {
                let _ = reply.send(Err(AuditError::Serialise("the audit log is full".into())));
                continue;
            }
            rows.push(NewAuditEvent {
                leaf_index: leaf_index as i64,
                occurred_at: event.occurred_at.clone(),
                event: leaf,
                leaf_hash: leaf_hash.to_bytes(),
                persons: event.persons.clone(),
            });
            leaf_hashes.push(leaf_hash);
            replies.push((leaf_index, reply));
        }
        if rows.is_empty() {
            return;
        }
        let signed = (self.last_signed.elapsed() >= self.config.tree_head_interval).then(|| {
            TreeHead { size: right_edge.size(), root_hash: right_edge.root_hash(), timestamp: now_ms() }
                .sign(&self.signing_key)
        });
        let stored_head = signed.as_ref().map(stored_tree_head);
        match self.store.append_events(&rows, stored_head.as_ref()).await {
            Ok(()) => {
                if let Ok(mut state) = self.state.write() {
                    for leaf_hash in leaf_hashes {
                        if let Err(error) = state.tree.append_leaf_hash(leaf_hash) {
                            tracing::error!(%error, "audit tree could not grow");
                        }
                    }
                    if signed.is_some() {
                        state.latest = signed;
                    }
                }
                if signed.is_some() {
                    self.last_signed = Instant::now();
                }
                for (leaf_index, reply) in replies {
                    let _ = reply.send(Ok(AuditReceipt { leaf_index }));
                }
            }
            Err(error) => {
                tracing::error!(%error, events = rows.len(), "audit events could not be stored; their requests fail");
                let message = error.to_string();
                for (_, reply) in replies {
                    let _ = reply.send(Err(AuditError::WriteFailed(message.clone())));
                }
            }
        }
    }

    async fn sign_and_store(&mut self) -> Result<SignedTreeHead, AuditError> {
        let tree_head = {
            let state = self.state.read().map_err(|_| AuditError::Closed)?;
            if let Some(latest) = state.latest.filter(|latest| latest.tree_head.size == state.tree.size()) {
                return Ok(latest);
            }
            state.tree.tree_head(now_ms())
        };
        let signed = tree_head.sign(&self.signing_key);
        self.store.insert_tree_head(&stored_tree_head(&signed)).await?;
        if let Ok(mut state) = self.state.write() {
            state.latest = Some(signed);
        }
        self.last_signed = Instant::now();
        Ok(signed)
    }
}
