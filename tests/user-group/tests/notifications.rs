//! The user's presence board driven by events from the bundled fake: the fake publishes, drops
//! the socket, and the board shows what it knows and marks what it may have missed.

use events::Notifications;
use genesys_api_tokens::fake::FakeGenesys;
use serde_json::json;
use user_group::presence_board::Board;

#[tokio::test]
async fn the_board_follows_presence_and_forgets_what_a_gap_may_have_changed() {
    let fake = FakeGenesys::start().await;
    let client = fake.client_builder().build().unwrap();
    let mut stream = Notifications::builder(client)
        .topics(Board::topics(&["agent-1", "agent-2"]).unwrap())
        .connect()
        .await
        .unwrap();
    let presence = |s: &str| json!({"presenceDefinition": {"systemPresence": s}});
    let mut board = Board::default();

    fake.publish("v2.users.agent-1.presence", presence("Available"));
    fake.publish("v2.users.agent-2.presence", presence("Busy"));
    board.follow(&mut stream, 2).await.unwrap();
    assert_eq!(board.presence["agent-1"].as_deref(), Some("Available"));
    assert_eq!(board.presence["agent-2"].as_deref(), Some("Busy"));

    // A network drop: agent-2's change to Away is lost, and the board says it does not know.
    fake.drop_sockets();
    fake.publish("v2.users.agent-2.presence", presence("Away"));
    board.follow(&mut stream, 1).await.unwrap();
    assert_eq!(board.gaps, 1);
    assert_eq!(board.presence["agent-2"], None);

    fake.publish("v2.users.agent-1.presence", presence("Meal"));
    board.follow(&mut stream, 1).await.unwrap();
    assert_eq!(board.presence["agent-1"].as_deref(), Some("Meal"));
    assert_eq!(board.presence["agent-2"], None);
}
