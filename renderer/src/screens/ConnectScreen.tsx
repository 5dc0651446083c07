import { Button, Stack, Text, Title } from '@mantine/core'

export function ConnectScreen({ onContinue }: { onContinue: () => void }) {
  return (
    <Stack maw={640}>
      <Title order={2}>Your Constant Contact account</Title>
      <Text>
        Splitsend prepares the two groups from your spreadsheet on this computer, without an account and without a network
        connection. Connecting a Constant Contact account, to upload the groups and send the messages, is not part of this
        version yet.
      </Text>
      <Button onClick={onContinue} w="fit-content">
        Go to Import
      </Button>
    </Stack>
  )
}
