import '@mantine/core/styles.css'
import '@mantine/dropzone/styles.css'
import { MantineProvider } from '@mantine/core'
import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { createAppQueryClient } from './app/query-client'
import { StartupFailure } from './app/StartupFailure'
import { contrastSafeColors, theme } from './app/theme'
import { ApiContext, connectApi } from './common/api/client'

const root = createRoot(document.getElementById('root')!)

function render(content: React.ReactNode): void {
  root.render(
    <StrictMode>
      {/* "auto" follows the operating system's light or dark setting. */}
      <MantineProvider theme={theme} defaultColorScheme="auto" cssVariablesResolver={contrastSafeColors}>
        {content}
      </MantineProvider>
    </StrictMode>,
  )
}

connectApi().then(
  (api) =>
    render(
      <ApiContext.Provider value={api}>
        <QueryClientProvider client={createAppQueryClient()}>
          <App />
        </QueryClientProvider>
      </ApiContext.Provider>,
    ),
  (error: unknown) => render(<StartupFailure message={error instanceof Error ? error.message : String(error)} />),
)
